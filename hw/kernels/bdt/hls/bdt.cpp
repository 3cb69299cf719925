// bdt: conifer-style BDT inference. The tree table is loaded into per-tree memories at the
// start of every call (trees are data, not RTL), then read -> compute -> write run under
// DATAFLOW at one sample per cycle. Every number is a raw ap_fixed bit pattern
// sign-extended to 32 bits; the arithmetic is exact modulo 2^32 and wrapped to the score
// width W at the end (AP_WRAP), the norm product truncated by an arithmetic shift (AP_TRN).
#include "bdt.h"

// The low `w` bits of `v`, sign-extended (two's-complement wrap at width w, 1..32).
static word_t wrap_to(word_t v, ap_uint<6> w) {
#pragma HLS INLINE
    ap_uint<6> shift = 32 - w;
    word_t up = v << shift;
    return up >> shift;  // arithmetic: ap_int is signed
}

struct Header {
    ap_uint<8> trees;
    ap_uint<3> columns;
    bool strict;
    ap_uint<6> score_w;
    ap_uint<6> score_f;
    word_t norm;
    word_t init[MAX_CLASSES];
};

struct Trees {
    ap_uint<4> feature[MAX_TREES][NODES];
    word_t threshold[MAX_TREES][NODES];
    word_t leaf[MAX_TREES][NODES];
};

static word_t word_of(const row_t &beat, int j) {
#pragma HLS INLINE
    return beat.range(32 * j + 31, 32 * j);
}

static void load(const row_t *table, Header &h, Trees &t) {
    row_t head = table[0];
    unsigned trees = word_of(head, 1).to_uint();
    unsigned columns = word_of(head, 2).to_uint();
    h.trees = trees > MAX_TREES ? MAX_TREES : trees;
    h.columns = (columns == 0 || columns > MAX_CLASSES) ? MAX_CLASSES : columns;
    h.strict = word_of(head, 5) != 0;
    h.score_w = word_of(head, 6).to_uint();
    h.score_f = word_of(head, 7).to_uint();
    h.norm = word_of(head, 8);
    for (int c = 0; c < MAX_CLASSES; c++) {
        h.init[c] = word_of(head, 9 + c);
    }
load_trees:
    for (int b = 0; b < h.trees * TREE_BEATS; b++) {
#pragma HLS PIPELINE II = 1
        row_t beat = table[1 + b];
        int tree = b / TREE_BEATS, in_tree = b % TREE_BEATS;
        int section = in_tree / SECTION_BEATS, base = (in_tree % SECTION_BEATS) * 16;
        for (int j = 0; j < 16; j++) {
            word_t w = word_of(beat, j);
            if (section == 0) t.feature[tree][base + j] = w.range(3, 0);
            else if (section == 1) t.threshold[tree][base + j] = w;
            else t.leaf[tree][base + j] = w;
        }
    }
}

static void read_rows(const row_t *features, hls::stream<row_t> &rows, unsigned n) {
read:
    for (unsigned i = 0; i < n; i++) {
#pragma HLS PIPELINE II = 1
        rows.write(features[i]);
    }
}

static void compute(hls::stream<row_t> &rows, hls::stream<result_t> &results, unsigned n, const Header &h,
                    const Trees &t) {
score:
    for (unsigned i = 0; i < n; i++) {
#pragma HLS PIPELINE II = 1
        row_t row = rows.read();
        word_t sum[MAX_CLASSES];
#pragma HLS ARRAY_PARTITION variable = sum complete
        for (int c = 0; c < MAX_CLASSES; c++) sum[c] = 0;
    trees:
        for (int tree = 0; tree < MAX_TREES; tree++) {
            int heap = 0;
        levels:
            for (int level = 0; level < MAX_DEPTH; level++) {
                word_t x = word_of(row, t.feature[tree][heap]);
                word_t threshold = t.threshold[tree][heap];
                bool left = h.strict ? (x < threshold) : (x <= threshold);
                heap = 2 * heap + (left ? 1 : 2);
            }
            word_t leaf = t.leaf[tree][heap - (NODES - 1)];
            if (tree < h.trees) sum[tree % h.columns] += leaf;  // wraps modulo 2^32
        }
        result_t out = 0;
        for (int c = 0; c < MAX_CLASSES; c++) {
            word_t s = wrap_to(sum[c] + h.init[c], h.score_w);
            ap_int<64> product = (ap_int<64>)s * h.norm;
            word_t score = wrap_to((word_t)(product >> h.score_f), h.score_w);  // floor, then wrap
            out.range(32 * c + 31, 32 * c) = c < h.columns ? score : word_t(0);
        }
        results.write(out);
    }
}

static void write_rows(hls::stream<result_t> &results, row_t *scores, unsigned n) {
write:
    for (unsigned i = 0; i < n; i++) {
#pragma HLS PIPELINE II = 1
        row_t row = 0;
        row.range(MAX_CLASSES * 32 - 1, 0) = results.read();
        scores[i] = row;
    }
}

static void run(const row_t *features, row_t *scores, unsigned n, const Header &h, const Trees &t) {
#pragma HLS DATAFLOW
    hls::stream<row_t> rows("rows");
    hls::stream<result_t> results("results");
#pragma HLS STREAM variable = rows depth = 32
#pragma HLS STREAM variable = results depth = 128
    read_rows(features, rows, n);
    compute(rows, results, n, h, t);
    write_rows(results, scores, n);
}

void bdt(const row_t *table, const row_t *features, row_t *scores, unsigned n) {
#pragma HLS INTERFACE m_axi port = table bundle = gmem0 offset = slave max_read_burst_length = 16
#pragma HLS INTERFACE m_axi port = features bundle = gmem0 offset = slave max_read_burst_length = 16
#pragma HLS INTERFACE m_axi port = scores bundle = gmem0 offset = slave max_write_burst_length = 16
#pragma HLS INTERFACE s_axilite port = n
#pragma HLS INTERFACE s_axilite port = return
    static Header h;
    static Trees t;
    // One memory per tree (and per level once the tree loop is unrolled by the pipeline).
#pragma HLS ARRAY_PARTITION variable = t.feature dim = 1 complete
#pragma HLS ARRAY_PARTITION variable = t.threshold dim = 1 complete
#pragma HLS ARRAY_PARTITION variable = t.leaf dim = 1 complete
    load(table, h, t);
    run(features, scores, n, h, t);
}
