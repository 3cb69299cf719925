// ==============================================================
// codesign: hand-written RTL with the interface Vitis HLS exports for
//   void ufunc_f32(hls::stream<hls::axis<float,0,0,0>>& a,
//                  hls::stream<hls::axis<float,0,0,0>>& b,
//                  hls::stream<hls::axis<float,0,0,0>>& out, int op);
//   axis a, b, out (out renamed out_r); s_axilite op + return, bundle control.
// (see ../hls/ufunc_f32.cpp). Element-wise binary32: op 0 a+b, 1 a-b, 2 a*b,
// anything else +0; the call ends after the element whose a.TLAST is set.
// The arithmetic is in the floating-point units Vitis instantiates:
//   ufunc_f32_faddfsub_32ns_32ns_32_4_full_dsp_1 (add and subtract, shared:
//     the two are in mutually exclusive branches) and
//   ufunc_f32_fmul_32ns_32ns_32_3_max_dsp_1,
// each wrapping its Floating-Point Operator core (<name>_ip, here behavioural:
// DAZ/FTZ, round to nearest even, canonical NaN 0x7FC00000).
// ==============================================================

`timescale 1 ns / 1 ps

(* CORE_GENERATION_INFO="ufunc_f32_ufunc_f32,hls_ip_codesign,{HLS_INPUT_TYPE=cxx,HLS_SYN_LAT=-1,HLS_SYN_TPT=none}" *)

module ufunc_f32 (
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
        out_r_TDATA,
        out_r_TVALID,
        out_r_TREADY,
        out_r_TKEEP,
        out_r_TSTRB,
        out_r_TLAST,
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

parameter    ap_ST_fsm_state1 = 3'd1;   // idle, waiting for ap_start
parameter    ap_ST_fsm_pp0 = 3'd2;      // pipelined loop, II=1, 4 stages
parameter    ap_ST_fsm_state3 = 3'd4;   // drain the pipeline and the output before ap_done
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
output  [31:0] out_r_TDATA;
output   out_r_TVALID;
input   out_r_TREADY;
output  [3:0] out_r_TKEEP;
output  [3:0] out_r_TSTRB;
output  [0:0] out_r_TLAST;
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

// stream payload through a slice: {last, strb, keep, data}
localparam   PW = 41;

reg    ap_done;
reg    ap_idle;
reg    ap_ready;
wire   ap_rst_n_inv;
wire   ap_start;
wire   [31:0] op;
(* fsm_encoding = "none" *) reg   [2:0] ap_CS_fsm;
reg    [2:0] ap_NS_fsm;
wire   ap_CS_fsm_state1;
wire   ap_CS_fsm_pp0;
wire   ap_CS_fsm_state3;
reg    [31:0] op_read_reg;

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
wire   [PW - 1:0] out_r_int_regslice;
wire   out_r_TVALID_int_regslice;
wire   out_r_TREADY_int_regslice;
wire   regslice_both_out_r_U_apdone_blk;
wire   [PW - 1:0] out_r_regslice_data;

// loop datapath: stage 0 reads a pair and issues it to both FP units;
// stage 3 selects the result and hands it to the output slice
wire   ap_block_pp0;       // pipeline cannot advance (output blocked)
wire   ap_ce_pp0;          // pipeline advances (clock enable of every stage)
wire   loop_read;          // one (a, b) pair is read this cycle
wire   pp0_busy;           // an element is still in stages 1..3
wire   [31:0] a_data;
wire   [31:0] b_data;
wire   a_last;
reg    ap_enable_reg_pp0_iter1;
reg    ap_enable_reg_pp0_iter2;
reg    ap_enable_reg_pp0_iter3;
reg    a_last_pp0_iter1_reg;
reg    a_last_pp0_iter2_reg;
reg    a_last_pp0_iter3_reg;
wire   [1:0] faddfsub_opcode;
wire   [31:0] faddfsub_dout;   // valid in stage 3
wire   [31:0] fmul_dout;       // valid in stage 2
reg    [31:0] fmul_dout_reg;   // stage 3
reg    [31:0] result;

//------------------------Instantiation------------------
ufunc_f32_control_s_axi #(
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

ufunc_f32_faddfsub_32ns_32ns_32_4_full_dsp_1 #(
    .ID( 1 ),
    .NUM_STAGE( 4 ),
    .din0_WIDTH( 32 ),
    .din1_WIDTH( 32 ),
    .dout_WIDTH( 32 ))
faddfsub_32ns_32ns_32_4_full_dsp_1_U1(
    .clk(ap_clk),
    .reset(ap_rst_n_inv),
    .din0(a_data),
    .din1(b_data),
    .opcode(faddfsub_opcode),
    .ce(ap_ce_pp0),
    .dout(faddfsub_dout)
);

ufunc_f32_fmul_32ns_32ns_32_3_max_dsp_1 #(
    .ID( 1 ),
    .NUM_STAGE( 3 ),
    .din0_WIDTH( 32 ),
    .din1_WIDTH( 32 ),
    .dout_WIDTH( 32 ))
fmul_32ns_32ns_32_3_max_dsp_1_U2(
    .clk(ap_clk),
    .reset(ap_rst_n_inv),
    .din0(a_data),
    .din1(b_data),
    .ce(ap_ce_pp0),
    .dout(fmul_dout)
);

ufunc_f32_regslice_both #(
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

ufunc_f32_regslice_both #(
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

ufunc_f32_regslice_both #(
    .DataWidth( PW ))
regslice_both_out_r_U(
    .ap_clk(ap_clk),
    .ap_rst(ap_rst_n_inv),
    .data_in(out_r_int_regslice),
    .vld_in(out_r_TVALID_int_regslice),
    .ack_in(out_r_TREADY_int_regslice),
    .data_out(out_r_regslice_data),
    .vld_out(out_r_TVALID),
    .ack_out(out_r_TREADY),
    .apdone_blk(regslice_both_out_r_U_apdone_blk)
);

//------------------------Block-level control------------
assign ap_rst_n_inv     = ~ap_rst_n;
assign ap_CS_fsm_state1 = ap_CS_fsm[0];
assign ap_CS_fsm_pp0    = ap_CS_fsm[1];
assign ap_CS_fsm_state3 = ap_CS_fsm[2];

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
            if ((pp0_busy == 1'b0) & (regslice_both_out_r_U_apdone_blk == 1'b0)) begin
                ap_NS_fsm = ap_ST_fsm_state1;
            end else begin
                ap_NS_fsm = ap_ST_fsm_state3;
            end
        end
        default: begin
            ap_NS_fsm = ap_ST_fsm_state1;
        end
    endcase
end

// ap_done/ap_ready: one-cycle pulse once the last beat is leaving the
// output slice (nothing left in the pipeline or the slice)
always @ (*) begin
    if ((ap_CS_fsm_state3 == 1'b1) & (pp0_busy == 1'b0)
            & (regslice_both_out_r_U_apdone_blk == 1'b0)) begin
        ap_done = 1'b1;
    end else begin
        ap_done = 1'b0;
    end
end

always @ (*) begin
    if ((ap_CS_fsm_state3 == 1'b1) & (pp0_busy == 1'b0)
            & (regslice_both_out_r_U_apdone_blk == 1'b0)) begin
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

// op is sampled when the call starts
always @ (posedge ap_clk) begin
    if ((ap_CS_fsm_state1 == 1'b1) & (ap_start == 1'b1)) begin
        op_read_reg <= op;
    end
end

//------------------------Loop datapath------------------
// Stage 0 reads a pair (both slices valid) and feeds it to the FP units; the
// add/subtract result comes out in stage 3, the product in stage 2 (registered
// into stage 3). Every stage, and the FP units through `ce`, advance together;
// the whole pipeline stalls while stage 3 cannot hand its beat on. Missing
// input beats become bubbles.
assign ap_block_pp0 = (ap_enable_reg_pp0_iter3 == 1'b1) & (out_r_TREADY_int_regslice == 1'b0);
assign ap_ce_pp0    = ~ap_block_pp0;
assign loop_read    = (ap_CS_fsm_pp0 == 1'b1) & (a_TVALID_int_regslice == 1'b1)
                    & (b_TVALID_int_regslice == 1'b1) & (ap_block_pp0 == 1'b0);
assign pp0_busy     = ap_enable_reg_pp0_iter1 | ap_enable_reg_pp0_iter2 | ap_enable_reg_pp0_iter3;
assign a_TREADY_int_regslice = loop_read;
assign b_TREADY_int_regslice = loop_read;
assign a_data = a_int_regslice[31:0];
assign b_data = b_int_regslice[31:0];
assign a_last = a_int_regslice[40];
assign faddfsub_opcode = (op_read_reg == 32'd1) ? 2'd1 : 2'd0;   // 1: subtract

always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        ap_enable_reg_pp0_iter1 <= 1'b0;
        ap_enable_reg_pp0_iter2 <= 1'b0;
        ap_enable_reg_pp0_iter3 <= 1'b0;
    end else if (ap_ce_pp0 == 1'b1) begin
        ap_enable_reg_pp0_iter1 <= loop_read;
        ap_enable_reg_pp0_iter2 <= ap_enable_reg_pp0_iter1;
        ap_enable_reg_pp0_iter3 <= ap_enable_reg_pp0_iter2;
    end
end

always @ (posedge ap_clk) begin
    if (ap_ce_pp0 == 1'b1) begin
        a_last_pp0_iter1_reg <= a_last;
        a_last_pp0_iter2_reg <= a_last_pp0_iter1_reg;
        a_last_pp0_iter3_reg <= a_last_pp0_iter2_reg;
        fmul_dout_reg <= fmul_dout;
    end
end

always @ (*) begin
    case (op_read_reg)
        32'd0, 32'd1: result = faddfsub_dout;
        32'd2: result = fmul_dout_reg;
        default: result = 32'd0;
    endcase
end

assign out_r_TVALID_int_regslice = ap_enable_reg_pp0_iter3;
assign out_r_int_regslice = {a_last_pp0_iter3_reg, 4'hf, 4'hf, result};

assign out_r_TDATA = out_r_regslice_data[31:0];
assign out_r_TKEEP = out_r_regslice_data[35:32];
assign out_r_TSTRB = out_r_regslice_data[39:36];
assign out_r_TLAST = out_r_regslice_data[40];

endmodule // ufunc_f32
