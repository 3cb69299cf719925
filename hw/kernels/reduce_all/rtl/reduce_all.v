// ==============================================================
// codesign: hand-written RTL with the interface Vitis HLS exports for
//   void reduce_all(hls::stream<ap_axis<32,0,0,0>>& a,
//                   hls::stream<ap_axis<32,0,0,0>>& b,
//                   hls::stream<ap_axis<128,0,0,0>>& result, int op);
//   axis a, b, result; s_axilite op + return, bundle control.
// (see ../hls/reduce_all.cpp). Reduction: op 0 sum(a), 1 sum(a*a),
// 2 sum(|a-b|), anything else 0; a and b are read in lockstep (b is read
// and ignored for ops 0 and 1); the call ends after the pair whose a.TLAST
// is set. The total leaves as ONE beat on `result`: TDATA[127:0] = the total
// as a signed 128-bit integer, TKEEP = TSTRB = all ones, TLAST = 1.
//
// Pipeline (II=1, never stalls: nothing is written until the end):
//   read   a pair from the input slices (both valid)
//   s1     operand registers
//   s2     term register: sext(a), a*a (registered multiply), |a-b| or 0
//   acc    128-bit accumulator += sext(term)
//   out    result register -> output slice -> result_* ; ap_done once the
//          beat has left the slice.
// ==============================================================

`timescale 1 ns / 1 ps

(* CORE_GENERATION_INFO="reduce_all_reduce_all,hls_ip_codesign,{HLS_INPUT_TYPE=cxx,HLS_SYN_LAT=-1,HLS_SYN_TPT=none}" *)

module reduce_all (
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
        result_TDATA,
        result_TVALID,
        result_TREADY,
        result_TKEEP,
        result_TSTRB,
        result_TLAST,
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

parameter    ap_ST_fsm_state1 = 4'd1;   // idle, waiting for ap_start
parameter    ap_ST_fsm_pp0 = 4'd2;      // pipelined read loop, II=1
parameter    ap_ST_fsm_state3 = 4'd4;   // drain the pipeline, hand the total to the output slice
parameter    ap_ST_fsm_state4 = 4'd8;   // wait for the beat to leave the output slice, then ap_done
parameter    C_S_AXI_CONTROL_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_ADDR_WIDTH = 5;
parameter    C_S_AXI_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_WSTRB_WIDTH = (32 / 8);
parameter    C_S_AXI_WSTRB_WIDTH = (32 / 8);

input   ap_clk;
input   ap_rst_n;
input  [31:0] a_TDATA;
input   a_TVALID;
output   a_TREADY;
input  [3:0] a_TKEEP;
input  [3:0] a_TSTRB;
input  [0:0] a_TLAST;
input  [31:0] b_TDATA;
input   b_TVALID;
output   b_TREADY;
input  [3:0] b_TKEEP;
input  [3:0] b_TSTRB;
input  [0:0] b_TLAST;
output  [127:0] result_TDATA;
output   result_TVALID;
input   result_TREADY;
output  [15:0] result_TKEEP;
output  [15:0] result_TSTRB;
output  [0:0] result_TLAST;
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

// stream payloads through the slices: {last, strb, keep, data}
localparam   IW = 41;    // 1 + 4 + 4 + 32
localparam   OW = 161;   // 1 + 16 + 16 + 128

reg    ap_done;
reg    ap_idle;
reg    ap_ready;
wire   ap_rst_n_inv;
wire   ap_start;
wire   [31:0] op;
(* fsm_encoding = "none" *) reg   [3:0] ap_CS_fsm;
reg    [3:0] ap_NS_fsm;
wire   ap_CS_fsm_state1;
wire   ap_CS_fsm_pp0;
wire   ap_CS_fsm_state3;
wire   ap_CS_fsm_state4;

// op, sampled when the call starts and decoded one-hot (none set: unknown op -> 0)
reg    op_sum_reg;
reg    op_squares_reg;
reg    op_sad_reg;

// input slices (core side)
wire   [IW - 1:0] a_int_regslice;
wire   a_TVALID_int_regslice;
wire   a_TREADY_int_regslice;
wire   regslice_both_a_U_apdone_blk;
wire   [IW - 1:0] b_int_regslice;
wire   b_TVALID_int_regslice;
wire   b_TREADY_int_regslice;
wire   regslice_both_b_U_apdone_blk;
// output slice (core side)
wire   [OW - 1:0] result_int_regslice;
wire   result_TVALID_int_regslice;
wire   result_TREADY_int_regslice;
wire   regslice_both_result_U_apdone_blk;
wire   [OW - 1:0] result_regslice_data;

// loop datapath
wire   loop_read;          // one (a, b) pair is read this cycle
wire   [31:0] a_data;
wire   [31:0] b_data;
wire   a_last;
reg    s1_vld;             // stage 1: operands
reg    s1_last;
reg    [31:0] s1_a;
reg    [31:0] s1_b;
wire   signed [63:0] s1_a_sext;
wire   signed [63:0] s1_b_sext;
wire   signed [63:0] s1_square;
wire   signed [63:0] s1_diff;
wire   [63:0] s1_absdiff;
reg    [63:0] s1_term;
reg    s2_vld;             // stage 2: the term to add
reg    s2_last;
reg    [63:0] s2_term;
reg    [127:0] acc;        // the exact total
reg    result_vld_reg;     // the total waits here for the output slice
wire   result_sent;        // ... and is taken by it this cycle

//------------------------Instantiation------------------
reduce_all_control_s_axi #(
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
    .op(op),
    .ap_start(ap_start),
    .interrupt(interrupt),
    .ap_ready(ap_ready),
    .ap_done(ap_done),
    .ap_idle(ap_idle)
);

reduce_all_regslice_both #(
    .DataWidth( IW ))
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

reduce_all_regslice_both #(
    .DataWidth( IW ))
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

reduce_all_regslice_both #(
    .DataWidth( OW ))
regslice_both_result_U(
    .ap_clk(ap_clk),
    .ap_rst(ap_rst_n_inv),
    .data_in(result_int_regslice),
    .vld_in(result_TVALID_int_regslice),
    .ack_in(result_TREADY_int_regslice),
    .data_out(result_regslice_data),
    .vld_out(result_TVALID),
    .ack_out(result_TREADY),
    .apdone_blk(regslice_both_result_U_apdone_blk)
);

//------------------------Block-level control------------
assign ap_rst_n_inv     = ~ap_rst_n;
assign ap_CS_fsm_state1 = ap_CS_fsm[0];
assign ap_CS_fsm_pp0    = ap_CS_fsm[1];
assign ap_CS_fsm_state3 = ap_CS_fsm[2];
assign ap_CS_fsm_state4 = ap_CS_fsm[3];

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
            if (ap_start == 1'b1) begin
                ap_NS_fsm = ap_ST_fsm_pp0;
            end else begin
                ap_NS_fsm = ap_ST_fsm_state1;
            end
        end
        ap_ST_fsm_pp0: begin
            if ((loop_read == 1'b1) & (a_last == 1'b1)) begin
                ap_NS_fsm = ap_ST_fsm_state3;
            end else begin
                ap_NS_fsm = ap_ST_fsm_pp0;
            end
        end
        ap_ST_fsm_state3: begin
            if (result_sent == 1'b1) begin
                ap_NS_fsm = ap_ST_fsm_state4;
            end else begin
                ap_NS_fsm = ap_ST_fsm_state3;
            end
        end
        ap_ST_fsm_state4: begin
            if (regslice_both_result_U_apdone_blk == 1'b0) begin
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

// ap_done/ap_ready: one-cycle pulse once the result beat is leaving the
// output slice (it entered the slice when the FSM moved to state4)
always @ (*) begin
    if ((ap_CS_fsm_state4 == 1'b1) & (regslice_both_result_U_apdone_blk == 1'b0)) begin
        ap_done = 1'b1;
    end else begin
        ap_done = 1'b0;
    end
end

always @ (*) begin
    if ((ap_CS_fsm_state4 == 1'b1) & (regslice_both_result_U_apdone_blk == 1'b0)) begin
        ap_ready = 1'b1;
    end else begin
        ap_ready = 1'b0;
    end
end

always @ (*) begin
    if ((ap_CS_fsm_state1 == 1'b1) & (ap_start == 1'b0)) begin
        ap_idle = 1'b1;
    end else begin
        ap_idle = 1'b0;
    end
end

// op is sampled when the call starts; any value but 0, 1, 2 selects no term (total 0)
always @ (posedge ap_clk) begin
    if ((ap_CS_fsm_state1 == 1'b1) & (ap_start == 1'b1)) begin
        op_sum_reg     <= (op == 32'd0);
        op_squares_reg <= (op == 32'd1);
        op_sad_reg     <= (op == 32'd2);
    end
end

//------------------------Loop datapath------------------
// Both streams are read in lockstep, for every op; a's TLAST ends the loop.
assign loop_read = (ap_CS_fsm_pp0 == 1'b1) & (a_TVALID_int_regslice == 1'b1)
                 & (b_TVALID_int_regslice == 1'b1);
assign a_TREADY_int_regslice = loop_read;
assign b_TREADY_int_regslice = loop_read;
assign a_data = a_int_regslice[31:0];
assign b_data = b_int_regslice[31:0];
assign a_last = a_int_regslice[40];

// stage 1: operand registers
always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        s1_vld <= 1'b0;
    end else begin
        s1_vld <= loop_read;
    end
end

always @ (posedge ap_clk) begin
    if (loop_read == 1'b1) begin
        s1_a <= a_data;
        s1_b <= b_data;
        s1_last <= a_last;
    end
end

// the term, exact in 64 bits: a (sign-extended), a*a <= 2^62, |a - b| <= 2^32 - 1
assign s1_a_sext  = {{32{s1_a[31]}}, s1_a};
assign s1_b_sext  = {{32{s1_b[31]}}, s1_b};
assign s1_square  = s1_a_sext * s1_a_sext;
assign s1_diff    = s1_a_sext - s1_b_sext;
assign s1_absdiff = (s1_diff[63] == 1'b1) ? (64'd0 - s1_diff) : s1_diff;

always @ (*) begin
    if (op_sum_reg == 1'b1) begin
        s1_term = s1_a_sext;
    end else if (op_squares_reg == 1'b1) begin
        s1_term = s1_square;
    end else if (op_sad_reg == 1'b1) begin
        s1_term = s1_absdiff;
    end else begin
        s1_term = 64'd0;
    end
end

// stage 2: the registered term (the multiply's output register)
always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        s2_vld <= 1'b0;
    end else begin
        s2_vld <= s1_vld;
    end
end

always @ (posedge ap_clk) begin
    if (s1_vld == 1'b1) begin
        s2_term <= s1_term;
        s2_last <= s1_last;
    end
end

// the accumulator: cleared when the call starts, += sign-extended term
always @ (posedge ap_clk) begin
    if ((ap_CS_fsm_state1 == 1'b1) & (ap_start == 1'b1)) begin
        acc <= 128'd0;
    end else if (s2_vld == 1'b1) begin
        acc <= acc + {{64{s2_term[63]}}, s2_term};
    end
end

// the total is complete the cycle after the last term is added
always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        result_vld_reg <= 1'b0;
    end else begin
        if ((s2_vld == 1'b1) & (s2_last == 1'b1)) begin
            result_vld_reg <= 1'b1;
        end else if (result_TREADY_int_regslice == 1'b1) begin
            result_vld_reg <= 1'b0;
        end
    end
end

assign result_sent = (result_vld_reg == 1'b1) & (result_TREADY_int_regslice == 1'b1);

assign result_TVALID_int_regslice = result_vld_reg;
assign result_int_regslice = {1'b1, 16'hffff, 16'hffff, acc};

assign result_TDATA = result_regslice_data[127:0];
assign result_TKEEP = result_regslice_data[143:128];
assign result_TSTRB = result_regslice_data[159:144];
assign result_TLAST = result_regslice_data[160];

endmodule // reduce_all
