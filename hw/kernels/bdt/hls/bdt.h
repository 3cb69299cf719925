// bdt: conifer-style boosted-decision-tree inference (load / compute / store).
// Table, feature-row and score-row formats: models/src/bdt/table.rs (the one definition).
#ifndef CODESIGN_BDT_H
#define CODESIGN_BDT_H

#include <ap_int.h>
#include <hls_stream.h>

// Manifest parameters (-D<NAME>=<v> for csim, -G<NAME>=<v> on the RTL).
#ifndef MAX_TREES
#define MAX_TREES 128
#endif
#ifndef MAX_DEPTH
#define MAX_DEPTH 6
#endif
#ifndef MAX_CLASSES
#define MAX_CLASSES 4
#endif
#ifndef MAX_FEATURES
#define MAX_FEATURES 16
#endif

static const int NODES = 1 << MAX_DEPTH;       // words per tree section
static const int SECTION_BEATS = NODES / 16;
static const int TREE_BEATS = 3 * SECTION_BEATS;

typedef ap_uint<512> row_t;                     // one beat: 16 words
typedef ap_int<32> word_t;
typedef ap_uint<MAX_CLASSES * 32> result_t;

void bdt(const row_t *table, const row_t *features, row_t *scores, unsigned n);

#endif
