// ==============================================================
// codesign: the parameterised body of the gemm kernels, shared by the tops
// gemm_pe4_w16 (PES=4, W=16, OW=64) and gemm_pe8_w8 (PES=8, W=8, OW=32). It
// has the interface Vitis HLS exports for (see ../hls/gemm.h)
//   template<int PES, int W, int OW> void gemm(
//       hls::stream<ap_axis<W,0,0,0>>& a, hls::stream<ap_axis<W,0,0,0>>& b,
//       hls::stream<ap_axis<OW,0,0,0>>& c, int m, int n, int k);
//   axis a, b, c; s_axilite m (0x10), n (0x18), k (0x20) and return, bundle
//   control (ap_ctrl_hs in the register map, interrupt).
//
// Function: C = A x B on signed W-bit integers (HeteroCL's GEMM), exact:
//   C[i][j] = sum_{kk < k} A[i][kk] * B[kk][j]
// accumulated in ACCW = 2W + 6 bits (|A*B| <= 2^(2W-2), times k <= 64 = 2^6:
// no overflow), sign-extended to OW bits on c. Streams, row-major: b first
// (exactly k*n beats), then a (m*k beats); c carries m*n beats, TLAST on the
// last, TKEEP/TSTRB all ones. TKEEP/TSTRB/TLAST of a and b are ignored.
//
// Arguments (signed 32-bit `int`, sampled at ap_start): unless
// 1 <= m, n, k <= MAX_DIM (64, the on-chip buffers), the call reads nothing,
// writes nothing and raises ap_done in the cycle after the one that sees
// ap_start.
//
// Architecture: a 1-D output-stationary PE array of PES processing elements.
//   load:    B is stored column-cyclically in PES banks: B[kk][j] goes to bank
//            j % PES at address {kk, j / PES} (one beat per cycle).
//   compute: for each row i, for each group g of PES columns
//            (G = ceil(n / PES) groups), for kk in 0..k-1 (one step per cycle):
//            A[i][kk] is broadcast to every PE; PE p multiplies it with
//            B[kk][g*PES + p] from its own bank and accumulates. In group 0
//            A[i][kk] comes from the a stream (and is kept in a row buffer);
//            groups 1.. re-read it from the row buffer. After the k-th step
//            the PES sums (the valid ones: min(PES, n - g*PES)) move to an
//            output shift register that the c stream drains one per cycle
//            while the next group computes.
//   Cycles: k*n (load) + m*G*k (compute) + a constant, as long as k >= PES
//   (otherwise c, at one beat per cycle, is the bound: m*n beats).
//
// Pipeline of the compute loop (II=1; everything stalls while a group's sums
// cannot enter the output shift register):
//   stage 0: issue (kk, g): read A[i][kk] (stream or row buffer), read the
//            PES banks at {kk, g} (registered RAM reads)
//   stage 1: PES products A*B (2W bits each)
//   stage 2: accumulate; on the group's last step, the sums go to the output
//            shift register -> output register slice
// PES must be a power of two dividing MAX_DIM (64).
// ==============================================================

`timescale 1 ns / 1 ps

module gemm_core (
        ap_clk,
        ap_rst_n,
        a_TDATA,
        a_TVALID,
        a_TREADY,
        a_TKEEP,
        a_TSTRB,
        a_TLAST,
        b_TDATA,
        b_TVALID,
        b_TREADY,
        b_TKEEP,
        b_TSTRB,
        b_TLAST,
        c_TDATA,
        c_TVALID,
        c_TREADY,
        c_TKEEP,
        c_TSTRB,
        c_TLAST,
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
        interrupt
);

// processing elements (a power of two) and its log2
parameter    PES = 4;
parameter    LOG2_PES = 2;
// element width of A and B (a multiple of 8), output element width (32 or 64)
parameter    W = 16;
parameter    OW = 64;

parameter    ap_ST_fsm_state1 = 4'd1;   // idle, waiting for ap_start
parameter    ap_ST_fsm_load = 4'd2;     // B into the banks, one element per cycle
parameter    ap_ST_fsm_pp0 = 4'd4;      // pipelined compute loop, II=1
parameter    ap_ST_fsm_state4 = 4'd8;   // drain the pipeline and c before ap_done
parameter    C_S_AXI_CONTROL_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_ADDR_WIDTH = 6;
parameter    C_S_AXI_CONTROL_WSTRB_WIDTH = (32 / 8);

// largest m, n, k (the on-chip buffers) and the bits of an index below it
localparam   MAX_DIM = 64;
localparam   DW = 6;
// columns of B per bank, and their index bits
localparam   COL_W = DW - LOG2_PES;
// bank address {kk, j / PES}
localparam   BANK_AW = DW + COL_W;
// exact accumulator: 2W product bits + log2(MAX_DIM) for the sum of k terms
localparam   ACCW = 2 * W + DW;
// stream payloads through a slice: {last, strb, keep, data}
localparam   KW = W / 8;
localparam   PW = W + 2 * KW + 1;
localparam   OKW = OW / 8;
localparam   OPW = OW + 2 * OKW + 1;

input   ap_clk;
input   ap_rst_n;
input  [W - 1:0] a_TDATA;
input   a_TVALID;
output   a_TREADY;
input  [KW - 1:0] a_TKEEP;
input  [KW - 1:0] a_TSTRB;
input  [0:0] a_TLAST;
input  [W - 1:0] b_TDATA;
input   b_TVALID;
output   b_TREADY;
input  [KW - 1:0] b_TKEEP;
input  [KW - 1:0] b_TSTRB;
input  [0:0] b_TLAST;
output  [OW - 1:0] c_TDATA;
output   c_TVALID;
input   c_TREADY;
output  [OKW - 1:0] c_TKEEP;
output  [OKW - 1:0] c_TSTRB;
output  [0:0] c_TLAST;
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

reg    ap_done;
reg    ap_idle;
reg    ap_ready;
wire   ap_rst_n_inv;
wire   ap_start;
wire   [31:0] m;
wire   [31:0] n;
wire   [31:0] k;
(* fsm_encoding = "none" *) reg   [3:0] ap_CS_fsm;
reg    [3:0] ap_NS_fsm;
wire   ap_CS_fsm_state1;
wire   ap_CS_fsm_load;
wire   ap_CS_fsm_pp0;
wire   ap_CS_fsm_state4;
wire   args_ok;                       // 1 <= m, n, k <= MAX_DIM (signed int)
wire   [DW:0] groups;                 // ceil(n / PES)
// sizes minus one, sampled at ap_start
reg    [DW - 1:0] m_m1_reg;
reg    [DW - 1:0] n_m1_reg;
reg    [DW - 1:0] k_m1_reg;
reg    [DW - 1:0] g_m1_reg;
reg    [DW:0] n_reg;

// input slices (core side)
wire   [PW - 1:0] a_int_regslice;
wire   a_TVALID_int_regslice;
wire   a_TREADY_int_regslice;
wire   regslice_both_a_U_apdone_blk;
wire   [PW - 1:0] b_int_regslice;
wire   b_TVALID_int_regslice;
wire   b_TREADY_int_regslice;
wire   regslice_both_b_U_apdone_blk;
// output slice (core side)
wire   [OPW - 1:0] c_int_regslice;
wire   c_TVALID_int_regslice;
wire   c_TREADY_int_regslice;
wire   regslice_both_c_U_apdone_blk;
wire   [OPW - 1:0] c_regslice_data;

// load loop: B[lk][lj]
wire   load_read;
wire   load_last;
reg    [DW - 1:0] lk_reg;
reg    [DW - 1:0] lj_reg;

// compute loop: row ci, group cg, step ck of the next issue
wire   ap_block_pp0;                  // a group's sums cannot enter the output register
wire   ap_adv;                        // every stage moves on this cycle
wire   issue;                         // stage 0 issues one step this cycle
wire   issue_last;                    // ... the call's last
reg    [DW - 1:0] ci_reg;
reg    [DW - 1:0] cg_reg;
reg    [DW - 1:0] ck_reg;
wire   [DW:0] n_left;                 // columns from this group on: n - cg*PES
wire   [DW:0] group_cnt;              // valid columns of this group
wire   [BANK_AW - 1:0] bank_raddr;
wire   [W - 1:0] row_q;               // A[i][kk] from the row buffer
wire   [W * PES - 1:0] bank_q;        // B[kk][g*PES + p] of every PE
// stage 1
reg    s1_vld;
reg    [W - 1:0] s1_a_stream;         // A[i][kk] as read from the stream (group 0)
reg    s1_from_stream;
reg    s1_first;
reg    s1_last;
reg    s1_final;
reg    [DW:0] s1_cnt;
wire   [W - 1:0] s1_a;
// stage 2
reg    s2_vld;
reg    s2_first;
reg    s2_last;
reg    s2_final;
reg    [DW:0] s2_cnt;
reg    [2 * W * PES - 1:0] s2_prod;   // the PES products
wire   [ACCW * PES - 1:0] sums;       // the accumulators after this step
reg    [ACCW * PES - 1:0] acc;
// output shift register: ocnt sums left, obuf[0] on c
reg    [OW * PES - 1:0] obuf;
reg    [DW:0] ocnt_reg;
reg    ofinal_reg;                    // it holds the call's last group
wire   opop;
wire   obuf_load;
wire   obuf_busy;

//------------------------Instantiation------------------
gemm_control_s_axi #(
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
    .m(m),
    .n(n),
    .k(k),
    .ap_start(ap_start),
    .interrupt(interrupt),
    .ap_ready(ap_ready),
    .ap_done(ap_done),
    .ap_idle(ap_idle)
);

gemm_regslice_both #(
    .DataWidth( PW ))
regslice_both_a_U(
    .ap_clk(ap_clk),
    .ap_rst(ap_rst_n_inv),
    .data_in({a_TLAST, a_TSTRB, a_TKEEP, a_TDATA}),
    .vld_in(a_TVALID),
    .ack_in(a_TREADY),
    .data_out(a_int_regslice),
    .vld_out(a_TVALID_int_regslice),
    .ack_out(a_TREADY_int_regslice),
    .apdone_blk(regslice_both_a_U_apdone_blk)
);

gemm_regslice_both #(
    .DataWidth( PW ))
regslice_both_b_U(
    .ap_clk(ap_clk),
    .ap_rst(ap_rst_n_inv),
    .data_in({b_TLAST, b_TSTRB, b_TKEEP, b_TDATA}),
    .vld_in(b_TVALID),
    .ack_in(b_TREADY),
    .data_out(b_int_regslice),
    .vld_out(b_TVALID_int_regslice),
    .ack_out(b_TREADY_int_regslice),
    .apdone_blk(regslice_both_b_U_apdone_blk)
);

gemm_regslice_both #(
    .DataWidth( OPW ))
regslice_both_c_U(
    .ap_clk(ap_clk),
    .ap_rst(ap_rst_n_inv),
    .data_in(c_int_regslice),
    .vld_in(c_TVALID_int_regslice),
    .ack_in(c_TREADY_int_regslice),
    .data_out(c_regslice_data),
    .vld_out(c_TVALID),
    .ack_out(c_TREADY),
    .apdone_blk(regslice_both_c_U_apdone_blk)
);

// The row buffer (HLS: arow[MAX_DIM], BIND_STORAGE ram_s2p): written in group
// 0 of a row, read in groups 1.. of the same row; never both in one cycle.
gemm_ram #(
    .DataWidth( W ),
    .AddressWidth( DW ),
    .AddressRange( MAX_DIM ))
row_U(
    .clk(ap_clk),
    .address0(ck_reg),
    .ce0(issue),
    .q0(row_q),
    .address1(ck_reg),
    .we1(issue & (cg_reg == {DW{1'b0}})),
    .d1(a_int_regslice[W - 1:0])
);

// One bank of B per PE (HLS: bbuf[PES][MAX_DIM * MAX_DIM / PES],
// ARRAY_PARTITION dim=1 complete): written while loading, read while computing.
genvar p;
generate
    for (p = 0; p < PES; p = p + 1) begin : pe
        gemm_ram #(
            .DataWidth( W ),
            .AddressWidth( BANK_AW ),
            .AddressRange( MAX_DIM * MAX_DIM / PES ))
        bank_U(
            .clk(ap_clk),
            .address0(bank_raddr),
            .ce0(issue),
            .q0(bank_q[W * p +: W]),
            .address1({lk_reg, lj_reg[DW - 1:LOG2_PES]}),
            .we1(load_read & (lj_reg[LOG2_PES - 1:0] == p)),
            .d1(b_int_regslice[W - 1:0])
        );

        // stage 1 -> 2: the product A[i][kk] * B[kk][g*PES + p], exact in 2W bits
        always @ (posedge ap_clk) begin
            if ((ap_adv == 1'b1) & (s1_vld == 1'b1)) begin
                s2_prod[2 * W * p +: 2 * W] <= $signed(s1_a) * $signed(bank_q[W * p +: W]);
            end
        end

        // stage 2: the accumulator restarts at each group's first step
        assign sums[ACCW * p +: ACCW] =
            (s2_first ? {ACCW{1'b0}} : acc[ACCW * p +: ACCW])
            + {{(ACCW - 2 * W){s2_prod[2 * W * (p + 1) - 1]}}, s2_prod[2 * W * p +: 2 * W]};

        always @ (posedge ap_clk) begin
            if ((ap_adv == 1'b1) & (s2_vld == 1'b1)) begin
                acc[ACCW * p +: ACCW] <= sums[ACCW * p +: ACCW];
            end
        end

        // output shift register: loaded with the sums (sign-extended to OW),
        // shifted down by one on every beat that leaves for c
        if (p < PES - 1) begin : shift
            always @ (posedge ap_clk) begin
                if (obuf_load == 1'b1) begin
                    obuf[OW * p +: OW] <= {{(OW - ACCW){sums[ACCW * (p + 1) - 1]}}, sums[ACCW * p +: ACCW]};
                end else if (opop == 1'b1) begin
                    obuf[OW * p +: OW] <= obuf[OW * (p + 1) +: OW];
                end
            end
        end else begin : tail
            always @ (posedge ap_clk) begin
                if (obuf_load == 1'b1) begin
                    obuf[OW * p +: OW] <= {{(OW - ACCW){sums[ACCW * (p + 1) - 1]}}, sums[ACCW * p +: ACCW]};
                end
            end
        end
    end
endgenerate

//------------------------Block-level control------------
assign ap_rst_n_inv     = ~ap_rst_n;
assign ap_CS_fsm_state1 = ap_CS_fsm[0];
assign ap_CS_fsm_load   = ap_CS_fsm[1];
assign ap_CS_fsm_pp0    = ap_CS_fsm[2];
assign ap_CS_fsm_state4 = ap_CS_fsm[3];

// `int m, int n, int k`: signed comparisons, as the C++ does
assign args_ok = ($signed(m) >= 32'sd1) & ($signed(m) <= MAX_DIM)
               & ($signed(n) >= 32'sd1) & ($signed(n) <= MAX_DIM)
               & ($signed(k) >= 32'sd1) & ($signed(k) <= MAX_DIM);
assign groups = (n[DW:0] + (PES - 1)) >> LOG2_PES;

always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        ap_CS_fsm <= ap_ST_fsm_state1;
    end else begin
        ap_CS_fsm <= ap_NS_fsm;
    end
end

always @ (*) begin
    case (ap_CS_fsm)
        ap_ST_fsm_state1: begin
            if ((ap_start == 1'b1) & (args_ok == 1'b1)) begin
                ap_NS_fsm = ap_ST_fsm_load;
            end else if (ap_start == 1'b1) begin
                // bad arguments: return at once (nothing read, nothing written)
                ap_NS_fsm = ap_ST_fsm_state4;
            end else begin
                ap_NS_fsm = ap_ST_fsm_state1;
            end
        end
        ap_ST_fsm_load: begin
            if ((load_read == 1'b1) & (load_last == 1'b1)) begin
                ap_NS_fsm = ap_ST_fsm_pp0;
            end else begin
                ap_NS_fsm = ap_ST_fsm_load;
            end
        end
        ap_ST_fsm_pp0: begin
            if ((issue == 1'b1) & (issue_last == 1'b1)) begin
                ap_NS_fsm = ap_ST_fsm_state4;
            end else begin
                ap_NS_fsm = ap_ST_fsm_pp0;
            end
        end
        ap_ST_fsm_state4: begin
            if (ap_done == 1'b1) begin
                ap_NS_fsm = ap_ST_fsm_state1;
            end else begin
                ap_NS_fsm = ap_ST_fsm_state4;
            end
        end
        default: begin
            ap_NS_fsm = ap_ST_fsm_state1;
        end
    endcase
end

// ap_done/ap_ready: one-cycle pulse once the pipeline and the output shift
// register are empty and the last beat is leaving the output slice
always @ (*) begin
    if ((ap_CS_fsm_state4 == 1'b1) & (s1_vld == 1'b0) & (s2_vld == 1'b0)
            & (ocnt_reg == {(DW + 1){1'b0}}) & (regslice_both_c_U_apdone_blk == 1'b0)) begin
        ap_done = 1'b1;
    end else begin
        ap_done = 1'b0;
    end
end

always @ (*) begin
    ap_ready = ap_done;
end

always @ (*) begin
    if ((ap_CS_fsm_state1 == 1'b1) & (ap_start == 1'b0)) begin
        ap_idle = 1'b1;
    end else begin
        ap_idle = 1'b0;
    end
end

// the sizes are sampled when the call starts
always @ (posedge ap_clk) begin
    if ((ap_CS_fsm_state1 == 1'b1) & (ap_start == 1'b1)) begin
        m_m1_reg <= m[DW - 1:0] - 1'b1;
        n_m1_reg <= n[DW - 1:0] - 1'b1;
        k_m1_reg <= k[DW - 1:0] - 1'b1;
        g_m1_reg <= groups[DW - 1:0] - 1'b1;
        n_reg <= n[DW:0];
    end
end

//------------------------Load loop----------------------
assign load_read = (ap_CS_fsm_load == 1'b1) & (b_TVALID_int_regslice == 1'b1);
assign load_last = (lk_reg == k_m1_reg) & (lj_reg == n_m1_reg);
assign b_TREADY_int_regslice = load_read;

always @ (posedge ap_clk) begin
    if ((ap_CS_fsm_state1 == 1'b1) & (ap_start == 1'b1)) begin
        lk_reg <= {DW{1'b0}};
        lj_reg <= {DW{1'b0}};
    end else if (load_read == 1'b1) begin
        if (lj_reg == n_m1_reg) begin
            lj_reg <= {DW{1'b0}};
            lk_reg <= lk_reg + 1'b1;
        end else begin
            lj_reg <= lj_reg + 1'b1;
        end
    end
end

//------------------------Compute loop-------------------
assign obuf_busy    = (ocnt_reg > 1) | ((ocnt_reg == 1) & (opop == 1'b0));
assign ap_block_pp0 = (s2_vld == 1'b1) & (s2_last == 1'b1) & (obuf_busy == 1'b1);
assign ap_adv       = ~ap_block_pp0;
assign issue        = (ap_CS_fsm_pp0 == 1'b1) & (ap_adv == 1'b1)
                    & ((cg_reg != {DW{1'b0}}) | (a_TVALID_int_regslice == 1'b1));
assign issue_last   = (ck_reg == k_m1_reg) & (cg_reg == g_m1_reg) & (ci_reg == m_m1_reg);
assign a_TREADY_int_regslice = issue & (cg_reg == {DW{1'b0}});
assign bank_raddr   = {ck_reg, cg_reg[COL_W - 1:0]};
assign n_left       = n_reg - {1'b0, cg_reg[COL_W - 1:0], {LOG2_PES{1'b0}}};
assign group_cnt    = (n_left >= PES) ? PES : n_left;

always @ (posedge ap_clk) begin
    if ((ap_CS_fsm_state1 == 1'b1) & (ap_start == 1'b1)) begin
        ci_reg <= {DW{1'b0}};
        cg_reg <= {DW{1'b0}};
        ck_reg <= {DW{1'b0}};
    end else if (issue == 1'b1) begin
        if (ck_reg == k_m1_reg) begin
            ck_reg <= {DW{1'b0}};
            if (cg_reg == g_m1_reg) begin
                cg_reg <= {DW{1'b0}};
                ci_reg <= ci_reg + 1'b1;
            end else begin
                cg_reg <= cg_reg + 1'b1;
            end
        end else begin
            ck_reg <= ck_reg + 1'b1;
        end
    end
end

// stage 1
always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        s1_vld <= 1'b0;
    end else if (ap_adv == 1'b1) begin
        s1_vld <= issue;
    end
end

always @ (posedge ap_clk) begin
    if (issue == 1'b1) begin
        s1_a_stream <= a_int_regslice[W - 1:0];
        s1_from_stream <= (cg_reg == {DW{1'b0}});
        s1_first <= (ck_reg == {DW{1'b0}});
        s1_last <= (ck_reg == k_m1_reg);
        s1_final <= issue_last;
        s1_cnt <= group_cnt;
    end
end

assign s1_a = (s1_from_stream == 1'b1) ? s1_a_stream : row_q;

// stage 2
always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        s2_vld <= 1'b0;
    end else if (ap_adv == 1'b1) begin
        s2_vld <= s1_vld;
    end
end

always @ (posedge ap_clk) begin
    if ((ap_adv == 1'b1) & (s1_vld == 1'b1)) begin
        s2_first <= s1_first;
        s2_last <= s1_last;
        s2_final <= s1_final;
        s2_cnt <= s1_cnt;
    end
end

//------------------------Output-------------------------
assign obuf_load = (ap_adv == 1'b1) & (s2_vld == 1'b1) & (s2_last == 1'b1);
assign opop      = (ocnt_reg != {(DW + 1){1'b0}}) & (c_TREADY_int_regslice == 1'b1);

always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        ocnt_reg <= {(DW + 1){1'b0}};
    end else if (obuf_load == 1'b1) begin
        ocnt_reg <= s2_cnt;
    end else if (opop == 1'b1) begin
        ocnt_reg <= ocnt_reg - 1'b1;
    end
end

always @ (posedge ap_clk) begin
    if (obuf_load == 1'b1) begin
        ofinal_reg <= s2_final;
    end
end

assign c_TVALID_int_regslice = (ocnt_reg != {(DW + 1){1'b0}});
assign c_int_regslice = {(ofinal_reg & (ocnt_reg == 1)), {OKW{1'b1}}, {OKW{1'b1}}, obuf[OW - 1:0]};

assign c_TDATA = c_regslice_data[OW - 1:0];
assign c_TKEEP = c_regslice_data[OW + OKW - 1:OW];
assign c_TSTRB = c_regslice_data[OW + 2 * OKW - 1:OW + OKW];
assign c_TLAST = c_regslice_data[OPW - 1];

endmodule // gemm_core
