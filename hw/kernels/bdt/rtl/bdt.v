// ==============================================================
// codesign: hand-written RTL to the Vitis HLS export contract for kernel bdt (hls/bdt.cpp):
// conifer-style boosted-decision-tree inference, load / compute / store over one m_axi
// bundle gmem0 (512-bit data, 64-bit address), arguments and block control (ap_ctrl_hs) on
// s_axi_control. The formats of the table, feature rows and score rows are defined in one
// place: models/src/bdt/table.rs.
//
// A call:
//  1. load: one beat of header, then T tree records of 3 * 2^MAX_DEPTH words (features,
//     thresholds, leaves of a complete tree in heap order) into on-chip memories, one per
//     tree; each beat writes 16 words of one tree section;
//  2. compute: the feature rows stream in (one 64-byte row per beat, one sample per cycle);
//     MAX_DEPTH pipeline stages walk every tree a level each (stage l reads level l of each
//     tree's node memory), one stage reads the leaves, a registered adder tree per score
//     column sums them (AP_WRAP: exact modulo 2^32, then wrapped to the score width with
//     init_predict), then times norm with truncation (AP_TRN) and a wrap;
//  3. store: score rows leave through a FIFO in INCR bursts of up to 16 beats.
// Reads of feature rows are issued only with FIFO space reserved for their results, so the
// pipeline never stalls. Bursts never cross 4 KiB; buffers must be 64-byte aligned.
// Synthesizable for MAX_TREES (a power of two) trees of depth MAX_DEPTH (>= 4) with
// MAX_CLASSES (<= 4) score columns on MAX_FEATURES = 16 features (a 512-bit row).
// ==============================================================
`timescale 1 ns / 1 ps

module bdt (
        ap_clk,
        ap_rst_n,
        s_axi_control_AWVALID,
        s_axi_control_AWREADY,
        s_axi_control_AWADDR,
        s_axi_control_WVALID,
        s_axi_control_WREADY,
        s_axi_control_WDATA,
        s_axi_control_WSTRB,
        s_axi_control_ARVALID,
        s_axi_control_ARREADY,
        s_axi_control_ARADDR,
        s_axi_control_RVALID,
        s_axi_control_RREADY,
        s_axi_control_RDATA,
        s_axi_control_RRESP,
        s_axi_control_BVALID,
        s_axi_control_BREADY,
        s_axi_control_BRESP,
        interrupt,
        m_axi_gmem0_AWVALID,
        m_axi_gmem0_AWREADY,
        m_axi_gmem0_AWADDR,
        m_axi_gmem0_AWID,
        m_axi_gmem0_AWLEN,
        m_axi_gmem0_AWSIZE,
        m_axi_gmem0_AWBURST,
        m_axi_gmem0_AWLOCK,
        m_axi_gmem0_AWCACHE,
        m_axi_gmem0_AWPROT,
        m_axi_gmem0_AWQOS,
        m_axi_gmem0_AWREGION,
        m_axi_gmem0_AWUSER,
        m_axi_gmem0_WVALID,
        m_axi_gmem0_WREADY,
        m_axi_gmem0_WDATA,
        m_axi_gmem0_WSTRB,
        m_axi_gmem0_WLAST,
        m_axi_gmem0_WID,
        m_axi_gmem0_WUSER,
        m_axi_gmem0_ARVALID,
        m_axi_gmem0_ARREADY,
        m_axi_gmem0_ARADDR,
        m_axi_gmem0_ARID,
        m_axi_gmem0_ARLEN,
        m_axi_gmem0_ARSIZE,
        m_axi_gmem0_ARBURST,
        m_axi_gmem0_ARLOCK,
        m_axi_gmem0_ARCACHE,
        m_axi_gmem0_ARPROT,
        m_axi_gmem0_ARQOS,
        m_axi_gmem0_ARREGION,
        m_axi_gmem0_ARUSER,
        m_axi_gmem0_RVALID,
        m_axi_gmem0_RREADY,
        m_axi_gmem0_RDATA,
        m_axi_gmem0_RLAST,
        m_axi_gmem0_RID,
        m_axi_gmem0_RUSER,
        m_axi_gmem0_RRESP,
        m_axi_gmem0_BVALID,
        m_axi_gmem0_BREADY,
        m_axi_gmem0_BRESP,
        m_axi_gmem0_BID,
        m_axi_gmem0_BUSER
);

parameter    MAX_TREES = 128;
parameter    MAX_DEPTH = 6;
parameter    MAX_CLASSES = 4;
parameter    MAX_FEATURES = 16;
parameter    C_S_AXI_CONTROL_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_ADDR_WIDTH = 6;
parameter    C_S_AXI_CONTROL_WSTRB_WIDTH = (32 / 8);

localparam   NODES = 1 << MAX_DEPTH;          // words per tree section
localparam   SECTION_BEATS = NODES / 16;
localparam   TREE_BEATS = 3 * SECTION_BEATS;
localparam   SUM_LEVELS = $clog2(MAX_TREES);
localparam   FEAT_BITS = $clog2(MAX_FEATURES);
localparam   TREE_IDX_BITS = $clog2(MAX_TREES) + 1;
localparam   FIFO_DEPTH = 128;
localparam   FIFO_BITS = 7;
localparam   BURST = 16;
// R beat -> FIFO push: MAX_DEPTH levels, leaves, SUM_LEVELS adders, + init, * norm, >> F.
localparam   LATENCY = MAX_DEPTH + 1 + SUM_LEVELS + 3;

localparam   S_IDLE = 3'd0, S_HDR = 3'd1, S_TREES = 3'd2, S_RUN = 3'd3, S_DONE = 3'd4;

input   ap_clk;
input   ap_rst_n;
input   s_axi_control_AWVALID;
output   s_axi_control_AWREADY;
input  [C_S_AXI_CONTROL_ADDR_WIDTH - 1:0] s_axi_control_AWADDR;
input   s_axi_control_WVALID;
output   s_axi_control_WREADY;
input  [C_S_AXI_CONTROL_DATA_WIDTH - 1:0] s_axi_control_WDATA;
input  [C_S_AXI_CONTROL_WSTRB_WIDTH - 1:0] s_axi_control_WSTRB;
input   s_axi_control_ARVALID;
output   s_axi_control_ARREADY;
input  [C_S_AXI_CONTROL_ADDR_WIDTH - 1:0] s_axi_control_ARADDR;
output   s_axi_control_RVALID;
input   s_axi_control_RREADY;
output  [C_S_AXI_CONTROL_DATA_WIDTH - 1:0] s_axi_control_RDATA;
output  [1:0] s_axi_control_RRESP;
output   s_axi_control_BVALID;
input   s_axi_control_BREADY;
output  [1:0] s_axi_control_BRESP;
output   interrupt;
output m_axi_gmem0_AWVALID;
input  m_axi_gmem0_AWREADY;
output [63:0] m_axi_gmem0_AWADDR;
output m_axi_gmem0_AWID;
output [7:0] m_axi_gmem0_AWLEN;
output [2:0] m_axi_gmem0_AWSIZE;
output [1:0] m_axi_gmem0_AWBURST;
output [1:0] m_axi_gmem0_AWLOCK;
output [3:0] m_axi_gmem0_AWCACHE;
output [2:0] m_axi_gmem0_AWPROT;
output [3:0] m_axi_gmem0_AWQOS;
output [3:0] m_axi_gmem0_AWREGION;
output m_axi_gmem0_AWUSER;
output m_axi_gmem0_WVALID;
input  m_axi_gmem0_WREADY;
output [511:0] m_axi_gmem0_WDATA;
output [63:0] m_axi_gmem0_WSTRB;
output m_axi_gmem0_WLAST;
output m_axi_gmem0_WID;
output m_axi_gmem0_WUSER;
output m_axi_gmem0_ARVALID;
input  m_axi_gmem0_ARREADY;
output [63:0] m_axi_gmem0_ARADDR;
output m_axi_gmem0_ARID;
output [7:0] m_axi_gmem0_ARLEN;
output [2:0] m_axi_gmem0_ARSIZE;
output [1:0] m_axi_gmem0_ARBURST;
output [1:0] m_axi_gmem0_ARLOCK;
output [3:0] m_axi_gmem0_ARCACHE;
output [2:0] m_axi_gmem0_ARPROT;
output [3:0] m_axi_gmem0_ARQOS;
output [3:0] m_axi_gmem0_ARREGION;
output m_axi_gmem0_ARUSER;
input  m_axi_gmem0_RVALID;
output m_axi_gmem0_RREADY;
input  [511:0] m_axi_gmem0_RDATA;
input  m_axi_gmem0_RLAST;
input  m_axi_gmem0_RID;
input  m_axi_gmem0_RUSER;
input  [1:0] m_axi_gmem0_RRESP;
input  m_axi_gmem0_BVALID;
output m_axi_gmem0_BREADY;
input  [1:0] m_axi_gmem0_BRESP;
input  m_axi_gmem0_BID;
input  m_axi_gmem0_BUSER;

wire   ap_rst_n_inv = ~ap_rst_n;
wire   ap_start;
wire   ap_done = (state == S_DONE);
wire   ap_idle = (state == S_IDLE);
wire   ap_ready = ap_done;
wire   [63:0] table_r;
wire   [63:0] features;
wire   [63:0] scores;
wire   [31:0] n;

bdt_control_s_axi #(
    .C_S_AXI_ADDR_WIDTH( C_S_AXI_CONTROL_ADDR_WIDTH ),
    .C_S_AXI_DATA_WIDTH( C_S_AXI_CONTROL_DATA_WIDTH ))
control_s_axi_U(
    .AWVALID(s_axi_control_AWVALID),
    .AWREADY(s_axi_control_AWREADY),
    .AWADDR(s_axi_control_AWADDR),
    .WVALID(s_axi_control_WVALID),
    .WREADY(s_axi_control_WREADY),
    .WDATA(s_axi_control_WDATA),
    .WSTRB(s_axi_control_WSTRB),
    .ARVALID(s_axi_control_ARVALID),
    .ARREADY(s_axi_control_ARREADY),
    .ARADDR(s_axi_control_ARADDR),
    .RVALID(s_axi_control_RVALID),
    .RREADY(s_axi_control_RREADY),
    .RDATA(s_axi_control_RDATA),
    .RRESP(s_axi_control_RRESP),
    .BVALID(s_axi_control_BVALID),
    .BREADY(s_axi_control_BREADY),
    .BRESP(s_axi_control_BRESP),
    .ACLK(ap_clk),
    .ARESET(ap_rst_n_inv),
    .ACLK_EN(1'b1),
    .table_r(table_r),
    .features(features),
    .scores(scores),
    .n(n),
    .ap_start(ap_start),
    .interrupt(interrupt),
    .ap_ready(ap_ready),
    .ap_done(ap_done),
    .ap_idle(ap_idle)
);

// The low `w` bits of `v`, sign-extended (AP_WRAP at width w, 1..32).
function [31:0] wrap_to;
    input [31:0] v;
    input [5:0] w;
    reg [31:0] t;
    begin
        t = v << (6'd32 - w);
        wrap_to = $signed(t) >>> (6'd32 - w);
    end
endfunction

//------------------------Call state---------------------
reg    [2:0] state;
// header
reg    [TREE_IDX_BITS - 1:0] n_trees;
reg    [2:0] n_cols;
reg    strict;
reg    [5:0] score_w;
reg    [5:0] score_f;
reg    [31:0] norm;
reg    [31:0] init [0:MAX_CLASSES - 1];
reg    [31:0] n_rows;
// tree memories (per tree: node features, node thresholds, leaves)
reg    [FEAT_BITS - 1:0] feat_mem [0:MAX_TREES - 1][0:NODES - 1];
reg    [31:0] thr_mem [0:MAX_TREES - 1][0:NODES - 1];
reg    [31:0] leaf_mem [0:MAX_TREES - 1][0:NODES - 1];
reg    [2 * MAX_TREES - 1:0] tree_col;   // 2 bits per tree
reg    [MAX_TREES - 1:0] tree_on;
reg    [TREE_IDX_BITS - 1:0] ld_tree;
reg    [7:0] ld_beat;

//------------------------Read engine (AR/R)-------------
reg    rd_rows;                // the requests are feature rows (FIFO credit needed)
reg    [63:0] rd_addr;
reg    [31:0] rd_left;         // beats not yet requested
reg    arvalid;
reg    [63:0] araddr;
reg    [7:0] arlen;
reg    [FIFO_BITS:0] reserved; // FIFO slots promised to requested rows
wire   [6:0] rd_to_4k = 7'd64 - {1'b0, rd_addr[11:6]};
wire   [31:0] rd_len_a = (rd_left < BURST) ? rd_left : BURST;
wire   [31:0] rd_len = (rd_len_a < {25'd0, rd_to_4k}) ? rd_len_a : {25'd0, rd_to_4k};
wire   rd_credit = !rd_rows | (({24'd0, reserved} + rd_len) <= FIFO_DEPTH);
wire   ar_issue = !arvalid & (rd_left != 0) & rd_credit;
wire   r_hs = m_axi_gmem0_RVALID;  // RREADY is always high

assign m_axi_gmem0_ARVALID = arvalid;
assign m_axi_gmem0_ARADDR = araddr;
assign m_axi_gmem0_ARID = 1'b0;
assign m_axi_gmem0_ARLEN = arlen;
assign m_axi_gmem0_ARSIZE = 3'd6;     // 64 bytes
assign m_axi_gmem0_ARBURST = 2'b01;   // INCR
assign m_axi_gmem0_ARLOCK = 2'b00;
assign m_axi_gmem0_ARCACHE = 4'b0011;
assign m_axi_gmem0_ARPROT = 3'b000;
assign m_axi_gmem0_ARQOS = 4'b0000;
assign m_axi_gmem0_ARREGION = 4'b0000;
assign m_axi_gmem0_ARUSER = 1'b0;
assign m_axi_gmem0_RREADY = 1'b1;

//------------------------Write engine (AW/W/B)----------
reg    [63:0] wr_addr;
reg    [31:0] aw_left;         // rows not yet requested on AW
reg    [31:0] w_left;          // rows not yet sent on W
reg    awvalid;
reg    [63:0] awaddr;
reg    [7:0] awlen;
reg    [4:0] blen_q [0:3];     // lengths of AW bursts whose W beats are pending
reg    [2:0] bq_wr;
reg    [2:0] bq_rd;
reg    [4:0] w_beat;
reg    [FIFO_BITS:0] promised;  // FIFO entries already promised to an AW burst
reg    [15:0] b_pending;
reg    [MAX_CLASSES * 32 - 1:0] fifo_mem [0:FIFO_DEPTH - 1];
reg    [FIFO_BITS:0] fifo_wp;
reg    [FIFO_BITS:0] fifo_rp;
wire   [FIFO_BITS:0] fifo_count = fifo_wp - fifo_rp;
wire   [6:0] wr_to_4k = 7'd64 - {1'b0, wr_addr[11:6]};
wire   [31:0] wr_len_a = (aw_left < BURST) ? aw_left : BURST;
wire   [31:0] wr_len = (wr_len_a < {25'd0, wr_to_4k}) ? wr_len_a : {25'd0, wr_to_4k};
wire   bq_full = (bq_wr - bq_rd) == 3'd4;
wire   bq_empty = (bq_wr == bq_rd);
wire   aw_issue = !awvalid & (aw_left != 0) & !bq_full & ({24'd0, fifo_count - promised} >= wr_len);
wire   wvalid = !bq_empty;
wire   wlast = (w_beat == blen_q[bq_rd[1:0]] - 5'd1);
wire   w_hs = wvalid & m_axi_gmem0_WREADY;
wire   b_hs = m_axi_gmem0_BVALID;  // BREADY is always high

assign m_axi_gmem0_AWVALID = awvalid;
assign m_axi_gmem0_AWADDR = awaddr;
assign m_axi_gmem0_AWID = 1'b0;
assign m_axi_gmem0_AWLEN = awlen;
assign m_axi_gmem0_AWSIZE = 3'd6;
assign m_axi_gmem0_AWBURST = 2'b01;
assign m_axi_gmem0_AWLOCK = 2'b00;
assign m_axi_gmem0_AWCACHE = 4'b0011;
assign m_axi_gmem0_AWPROT = 3'b000;
assign m_axi_gmem0_AWQOS = 4'b0000;
assign m_axi_gmem0_AWREGION = 4'b0000;
assign m_axi_gmem0_AWUSER = 1'b0;
assign m_axi_gmem0_WVALID = wvalid;
assign m_axi_gmem0_WDATA = {{(512 - MAX_CLASSES * 32){1'b0}}, fifo_mem[fifo_rp[FIFO_BITS - 1:0]]};
assign m_axi_gmem0_WSTRB = {64{1'b1}};
assign m_axi_gmem0_WLAST = wlast;
assign m_axi_gmem0_WID = 1'b0;
assign m_axi_gmem0_WUSER = 1'b0;
assign m_axi_gmem0_BREADY = 1'b1;

//------------------------Control FSM--------------------
integer i;
integer j;
integer c;
always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        state <= S_IDLE;
        rd_left <= 32'd0;
        rd_rows <= 1'b0;
        aw_left <= 32'd0;
        w_left <= 32'd0;
        n_trees <= 0;
        n_cols <= 3'd1;
    end else begin
        case (state)
            S_IDLE: begin
                if (ap_start == 1'b1) begin
                    rd_addr <= table_r;
                    rd_left <= 32'd1;
                    rd_rows <= 1'b0;
                    n_rows <= n;
                    state <= S_HDR;
                end
            end
            S_HDR: begin
                if (r_hs) begin
                    // Clamped to what the hardware holds: the runtime refuses bigger models.
                    n_trees <= (m_axi_gmem0_RDATA[63:32] > MAX_TREES) ? MAX_TREES[TREE_IDX_BITS - 1:0]
                               : m_axi_gmem0_RDATA[32 + TREE_IDX_BITS - 1:32];
                    n_cols <= (m_axi_gmem0_RDATA[95:64] > MAX_CLASSES || m_axi_gmem0_RDATA[95:64] == 0)
                              ? MAX_CLASSES[2:0] : m_axi_gmem0_RDATA[66:64];
                    strict <= m_axi_gmem0_RDATA[160];
                    score_w <= m_axi_gmem0_RDATA[197:192];
                    score_f <= m_axi_gmem0_RDATA[229:224];
                    norm <= m_axi_gmem0_RDATA[287:256];
                    for (c = 0; c < MAX_CLASSES; c = c + 1) begin
                        init[c] <= m_axi_gmem0_RDATA[288 + 32 * c +: 32];
                    end
                    ld_tree <= 0;
                    ld_beat <= 8'd0;
                    rd_addr <= table_r + 64'd64;
                    rd_left <= ((m_axi_gmem0_RDATA[63:32] > MAX_TREES) ? MAX_TREES : m_axi_gmem0_RDATA[63:32]) * TREE_BEATS;
                    state <= S_TREES;
                end
            end
            S_TREES: begin
                if ({ld_tree, 8'd0} == {n_trees, 8'd0}) begin
                    // every record is in: stream the rows
                    rd_addr <= features;
                    rd_left <= n_rows;
                    rd_rows <= 1'b1;
                    wr_addr <= scores;
                    aw_left <= n_rows;
                    w_left <= n_rows;
                    state <= S_RUN;
                end
            end
            S_RUN: begin
                if (rd_left == 0 && aw_left == 0 && w_left == 0 && b_pending == 0 && !awvalid && !arvalid) begin
                    state <= S_DONE;
                end
            end
            default: begin
                state <= S_IDLE;
            end
        endcase
        if (ar_issue) begin
            rd_addr <= rd_addr + {25'd0, rd_len, 6'd0};
            rd_left <= rd_left - rd_len;
        end
        if (aw_issue) begin
            wr_addr <= wr_addr + {25'd0, wr_len, 6'd0};
            aw_left <= aw_left - wr_len;
        end
        if (w_hs) begin
            w_left <= w_left - 32'd1;
        end
    end
end

// AR channel and FIFO credits.
always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        arvalid <= 1'b0;
        reserved <= 0;
    end else begin
        if (ar_issue) begin
            arvalid <= 1'b1;
            araddr <= rd_addr;
            arlen <= rd_len[7:0] - 8'd1;
        end else if (m_axi_gmem0_ARREADY) begin
            arvalid <= 1'b0;
        end
        reserved <= reserved + ((ar_issue & rd_rows) ? rd_len[FIFO_BITS:0] : 0) - (w_hs ? 1 : 0);
    end
end

// Load: header columns per tree, then each record beat into its tree's memories.
always @ (posedge ap_clk) begin
    if (state == S_HDR && r_hs) begin
        for (i = 0; i < MAX_TREES; i = i + 1) begin
            tree_on[i] <= (i < m_axi_gmem0_RDATA[63:32]);
        end
    end
    if (state == S_TREES && r_hs) begin
        for (j = 0; j < 16; j = j + 1) begin
            if (ld_beat < SECTION_BEATS) begin
                feat_mem[ld_tree[TREE_IDX_BITS - 2:0]][ld_beat * 16 + j] <= m_axi_gmem0_RDATA[32 * j +: FEAT_BITS];
            end else if (ld_beat < 2 * SECTION_BEATS) begin
                thr_mem[ld_tree[TREE_IDX_BITS - 2:0]][(ld_beat - SECTION_BEATS) * 16 + j] <= m_axi_gmem0_RDATA[32 * j +: 32];
            end else begin
                leaf_mem[ld_tree[TREE_IDX_BITS - 2:0]][(ld_beat - 2 * SECTION_BEATS) * 16 + j] <= m_axi_gmem0_RDATA[32 * j +: 32];
            end
        end
        if (ld_beat == TREE_BEATS - 1) begin
            ld_beat <= 8'd0;
            ld_tree <= ld_tree + 1;
        end else begin
            ld_beat <= ld_beat + 8'd1;
        end
    end
end

// Tree h adds to column h mod n_cols (round-major flat order).
always @ (posedge ap_clk) begin
    if (state == S_TREES) begin
        for (i = 0; i < MAX_TREES; i = i + 1) begin
            tree_col[2 * i +: 2] <= i % n_cols;
        end
    end
end

//------------------------Compute pipeline---------------
wire   row_valid = (state == S_RUN) & r_hs;
reg    [511:0] row_q [0:MAX_DEPTH - 1];
reg    [LATENCY - 1:0] valid_q;
// path_all: for stage l (0..MAX_DEPTH) and tree h, the branch bits taken so far
wire   [(MAX_DEPTH + 1) * MAX_TREES * MAX_DEPTH - 1:0] path_all;
assign path_all[MAX_TREES * MAX_DEPTH - 1:0] = 0;

always @ (posedge ap_clk) begin
    row_q[1] <= m_axi_gmem0_RDATA;
    for (i = 2; i < MAX_DEPTH; i = i + 1) begin
        row_q[i] <= row_q[i - 1];
    end
    if (ap_rst_n_inv == 1'b1) begin
        valid_q <= 0;
    end else begin
        valid_q <= {valid_q[LATENCY - 2:0], row_valid};
    end
end

genvar gl, gh;
generate
    for (gl = 0; gl < MAX_DEPTH; gl = gl + 1) begin : level
        wire [511:0] row_l;
        if (gl == 0) begin : first
            assign row_l = m_axi_gmem0_RDATA;
        end else begin : later
            assign row_l = row_q[gl];
        end
        for (gh = 0; gh < MAX_TREES; gh = gh + 1) begin : tree
            wire [MAX_DEPTH - 1:0] p_in = path_all[(gl * MAX_TREES + gh) * MAX_DEPTH +: MAX_DEPTH];
            wire [MAX_DEPTH - 1:0] node = ((1 << gl) - 1) + p_in;
            wire [FEAT_BITS - 1:0] f = feat_mem[gh][node];
            wire signed [31:0] x = row_l[32 * f +: 32];
            wire signed [31:0] t = thr_mem[gh][node];
            wire go_left = strict ? (x < t) : (x <= t);
            reg [MAX_DEPTH - 1:0] p_q;
            always @ (posedge ap_clk) begin
                p_q <= {p_in[MAX_DEPTH - 2:0], ~go_left};
            end
            assign path_all[((gl + 1) * MAX_TREES + gh) * MAX_DEPTH +: MAX_DEPTH] = p_q;
        end
    end
endgenerate

// Leaves, masked per column, then a registered adder tree per column (heap order: node k
// sums 2k+1 and 2k+2; the leaves sit at MAX_TREES-1 .. 2*MAX_TREES-2), then init_predict,
// norm and the wraps.
wire   [MAX_CLASSES * 32 - 1:0] res_row;
generate
    for (gh = 0; gh < MAX_CLASSES; gh = gh + 1) begin : column
        reg [32 * (2 * MAX_TREES - 1) - 1:0] acc;
        reg [31:0] sum_w;
        reg [63:0] prod;
        wire [63:0] prod_shifted = $signed(prod) >>> score_f;
        reg [31:0] res;
        integer k;
        always @ (posedge ap_clk) begin
            for (k = 0; k < MAX_TREES; k = k + 1) begin
                acc[32 * (MAX_TREES - 1 + k) +: 32] <= (tree_on[k] && tree_col[2 * k +: 2] == gh)
                    ? leaf_mem[k][path_all[(MAX_DEPTH * MAX_TREES + k) * MAX_DEPTH +: MAX_DEPTH]] : 32'd0;
            end
            for (k = 0; k < MAX_TREES - 1; k = k + 1) begin
                acc[32 * k +: 32] <= acc[32 * (2 * k + 1) +: 32] + acc[32 * (2 * k + 2) +: 32];
            end
            sum_w <= wrap_to(acc[31:0] + init[gh], score_w);
            prod <= $signed(sum_w) * $signed(norm);
            // AP_TRN: the product has 2F fractional bits; an arithmetic shift floors F away.
            res <= (gh < n_cols) ? wrap_to(prod_shifted[31:0], score_w) : 32'd0;
        end
        assign res_row[32 * gh +: 32] = res;
    end
endgenerate

//------------------------Store: FIFO and W beats--------
always @ (posedge ap_clk) begin
    if (valid_q[LATENCY - 1]) begin
        fifo_mem[fifo_wp[FIFO_BITS - 1:0]] <= res_row;
    end
    if (ap_rst_n_inv == 1'b1) begin
        fifo_wp <= 0;
        fifo_rp <= 0;
        awvalid <= 1'b0;
        bq_wr <= 3'd0;
        bq_rd <= 3'd0;
        w_beat <= 5'd0;
        promised <= 0;
        b_pending <= 16'd0;
    end else begin
        if (valid_q[LATENCY - 1]) begin
            fifo_wp <= fifo_wp + 1;
        end
        if (aw_issue) begin
            awvalid <= 1'b1;
            awaddr <= wr_addr;
            awlen <= wr_len[7:0] - 8'd1;
            blen_q[bq_wr[1:0]] <= wr_len[4:0];
            bq_wr <= bq_wr + 3'd1;
        end else if (m_axi_gmem0_AWREADY) begin
            awvalid <= 1'b0;
        end
        promised <= promised + (aw_issue ? wr_len[FIFO_BITS:0] : 0) - (w_hs ? 1 : 0);
        if (w_hs) begin
            fifo_rp <= fifo_rp + 1;
            if (wlast) begin
                w_beat <= 5'd0;
                bq_rd <= bq_rd + 3'd1;
            end else begin
                w_beat <= w_beat + 5'd1;
            end
        end
        b_pending <= b_pending + (aw_issue ? 16'd1 : 16'd0) - (b_hs ? 16'd1 : 16'd0);
    end
end

endmodule // bdt
