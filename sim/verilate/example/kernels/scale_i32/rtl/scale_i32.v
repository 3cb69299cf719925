// ==============================================================
// codesign: hand-written RTL with the interface Vitis HLS exports for
//   void scale_i32(hls::stream<ap_axis<32,0,0,0>>& in,
//                  hls::stream<ap_axis<32,0,0,0>>& out, int factor);
//   axis in, out (renamed in_r, out_r); s_axilite factor + return, bundle control.
// Element-wise out = in * factor (low 32 bits, wrapping); the call ends after
// the element whose in.TLAST is set.
// (An example user kernel: adapted from codesign's hw/kernels/scale_i32.)
// ==============================================================

`timescale 1 ns / 1 ps

(* CORE_GENERATION_INFO="scale_i32_scale_i32,hls_ip_codesign,{HLS_INPUT_TYPE=cxx,HLS_SYN_LAT=-1,HLS_SYN_TPT=none}" *)

module scale_i32 (
        ap_clk,
        ap_rst_n,
        in_r_TDATA,
        in_r_TVALID,
        in_r_TREADY,
        in_r_TKEEP,
        in_r_TSTRB,
        in_r_TLAST,
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
parameter    ap_ST_fsm_pp0 = 3'd2;      // pipelined loop, II=1
parameter    ap_ST_fsm_state3 = 3'd4;   // drain the output before ap_done
parameter    C_S_AXI_CONTROL_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_ADDR_WIDTH = 5;
parameter    C_S_AXI_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_WSTRB_WIDTH = (32 / 8);
parameter    C_S_AXI_WSTRB_WIDTH = (32 / 8);

input   ap_clk;
input   ap_rst_n;
input  [31:0] in_r_TDATA;
input   in_r_TVALID;
output   in_r_TREADY;
input  [3:0] in_r_TKEEP;
input  [3:0] in_r_TSTRB;
input  [0:0] in_r_TLAST;
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
wire   [31:0] factor;
(* fsm_encoding = "none" *) reg   [2:0] ap_CS_fsm;
reg    [2:0] ap_NS_fsm;
wire   ap_CS_fsm_state1;
wire   ap_CS_fsm_pp0;
wire   ap_CS_fsm_state3;
reg    [31:0] factor_read_reg;

// input slices (core side)
wire   [PW - 1:0] in_r_int_regslice;
wire   in_r_TVALID_int_regslice;
wire   in_r_TREADY_int_regslice;
wire   regslice_both_in_r_U_apdone_blk;
// output slice (core side)
wire   [PW - 1:0] out_r_int_regslice;
wire   out_r_TVALID_int_regslice;
wire   out_r_TREADY_int_regslice;
wire   regslice_both_out_r_U_apdone_blk;
wire   [PW - 1:0] out_r_regslice_data;

// loop datapath
wire   ap_block_pp0;       // pipeline cannot advance (output blocked)
wire   loop_read;          // one element is read this cycle
wire   [31:0] in_r_data;
wire   in_r_last;
reg    [31:0] result;
reg    [31:0] result_reg;
reg    result_last_reg;
reg    result_vld_reg;

//------------------------Instantiation------------------
scale_i32_control_s_axi #(
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
    .factor(factor),
    .ap_start(ap_start),
    .interrupt(interrupt),
    .ap_ready(ap_ready),
    .ap_done(ap_done),
    .ap_idle(ap_idle)
);

scale_i32_regslice_both #(
    .DataWidth( PW ))
regslice_both_in_r_U(
    .ap_clk(ap_clk),
    .ap_rst(ap_rst_n_inv),
    .data_in({in_r_TLAST, in_r_TSTRB, in_r_TKEEP, in_r_TDATA}),
    .vld_in(in_r_TVALID),
    .ack_in(in_r_TREADY),
    .data_out(in_r_int_regslice),
    .vld_out(in_r_TVALID_int_regslice),
    .ack_out(in_r_TREADY_int_regslice),
    .apdone_blk(regslice_both_in_r_U_apdone_blk)
);

scale_i32_regslice_both #(
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
            if ((loop_read == 1'b1) & (in_r_last == 1'b1)) begin
                ap_NS_fsm = ap_ST_fsm_state3;
            end else begin
                ap_NS_fsm = ap_ST_fsm_pp0;
            end
        end
        ap_ST_fsm_state3: begin
            if ((result_vld_reg == 1'b0) & (regslice_both_out_r_U_apdone_blk == 1'b0)) begin
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
// output slice (nothing left in the result register or the slice)
always @ (*) begin
    if ((ap_CS_fsm_state3 == 1'b1) & (result_vld_reg == 1'b0)
            & (regslice_both_out_r_U_apdone_blk == 1'b0)) begin
        ap_done = 1'b1;
    end else begin
        ap_done = 1'b0;
    end
end

always @ (*) begin
    if ((ap_CS_fsm_state3 == 1'b1) & (result_vld_reg == 1'b0)
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

// factor is sampled when the call starts
always @ (posedge ap_clk) begin
    if ((ap_CS_fsm_state1 == 1'b1) & (ap_start == 1'b1)) begin
        factor_read_reg <= factor;
    end
end

//------------------------Loop datapath------------------
// stage 0 reads an element; stage 1 (result_reg) feeds the output slice.
// The whole pipeline stalls while the result cannot be handed on.
assign ap_block_pp0 = (result_vld_reg == 1'b1) & (out_r_TREADY_int_regslice == 1'b0);
assign loop_read    = (ap_CS_fsm_pp0 == 1'b1) & (in_r_TVALID_int_regslice == 1'b1)
                    & (ap_block_pp0 == 1'b0);
assign in_r_TREADY_int_regslice = loop_read;
assign in_r_data = in_r_int_regslice[31:0];
assign in_r_last = in_r_int_regslice[40];

always @ (*) begin
    result = in_r_data * factor_read_reg;
end

always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        result_vld_reg <= 1'b0;
    end else begin
        if (loop_read == 1'b1) begin
            result_vld_reg <= 1'b1;
        end else if (out_r_TREADY_int_regslice == 1'b1) begin
            result_vld_reg <= 1'b0;
        end
    end
end

always @ (posedge ap_clk) begin
    if (loop_read == 1'b1) begin
        result_reg <= result;
        result_last_reg <= in_r_last;
    end
end

assign out_r_TVALID_int_regslice = result_vld_reg;
assign out_r_int_regslice = {result_last_reg, 4'hf, 4'hf, result_reg};

assign out_r_TDATA = out_r_regslice_data[31:0];
assign out_r_TKEEP = out_r_regslice_data[35:32];
assign out_r_TSTRB = out_r_regslice_data[39:36];
assign out_r_TLAST = out_r_regslice_data[40];

endmodule // scale_i32
