// ==============================================================
// codesign: hand-written RTL with the interface Vitis HLS exports for
//   void stencil5_q8_8(hls::stream<ap_axis<16,0,0,0>>& in,
//               hls::stream<ap_axis<16,0,0,0>>& out, int width, int height);
//   axis in, out (renamed in_r, out_r); s_axilite width (0x10), height
//   (0x18) and return, bundle control (ap_ctrl_hs, interrupt).
// (see ../hls/stencil5_q8_8.cpp): the 5-point stencil on a grid of
// ap_fixed<16,8> elements (raw 16-bit two's complement on the streams).
// All of the logic is the shared core stencil5_core.v
// with W=16, F=8; this top only fixes the port widths.
// ==============================================================

`timescale 1 ns / 1 ps

(* CORE_GENERATION_INFO="stencil5_q8_8_stencil5_q8_8,hls_ip_codesign,{HLS_INPUT_TYPE=cxx,HLS_SYN_LAT=-1,HLS_SYN_TPT=none}" *)

module stencil5_q8_8 (
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

parameter    C_S_AXI_CONTROL_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_ADDR_WIDTH = 5;
parameter    C_S_AXI_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_WSTRB_WIDTH = (32 / 8);
parameter    C_S_AXI_WSTRB_WIDTH = (32 / 8);

input   ap_clk;
input   ap_rst_n;
input  [15:0] in_r_TDATA;
input   in_r_TVALID;
output   in_r_TREADY;
input  [1:0] in_r_TKEEP;
input  [1:0] in_r_TSTRB;
input  [0:0] in_r_TLAST;
output  [15:0] out_r_TDATA;
output   out_r_TVALID;
input   out_r_TREADY;
output  [1:0] out_r_TKEEP;
output  [1:0] out_r_TSTRB;
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

stencil5_core #(
    .W( 16 ),
    .F( 8 ),
    .MAX_WIDTH( 1024 ),
    .ADDR_W( 10 ),
    .C_S_AXI_CONTROL_DATA_WIDTH( C_S_AXI_CONTROL_DATA_WIDTH ),
    .C_S_AXI_CONTROL_ADDR_WIDTH( C_S_AXI_CONTROL_ADDR_WIDTH ))
core_U(
    .ap_clk(ap_clk),
    .ap_rst_n(ap_rst_n),
    .in_r_TDATA(in_r_TDATA),
    .in_r_TVALID(in_r_TVALID),
    .in_r_TREADY(in_r_TREADY),
    .in_r_TKEEP(in_r_TKEEP),
    .in_r_TSTRB(in_r_TSTRB),
    .in_r_TLAST(in_r_TLAST),
    .out_r_TDATA(out_r_TDATA),
    .out_r_TVALID(out_r_TVALID),
    .out_r_TREADY(out_r_TREADY),
    .out_r_TKEEP(out_r_TKEEP),
    .out_r_TSTRB(out_r_TSTRB),
    .out_r_TLAST(out_r_TLAST),
    .s_axi_control_AWVALID(s_axi_control_AWVALID),
    .s_axi_control_AWREADY(s_axi_control_AWREADY),
    .s_axi_control_AWADDR(s_axi_control_AWADDR),
    .s_axi_control_WVALID(s_axi_control_WVALID),
    .s_axi_control_WREADY(s_axi_control_WREADY),
    .s_axi_control_WDATA(s_axi_control_WDATA),
    .s_axi_control_WSTRB(s_axi_control_WSTRB),
    .s_axi_control_ARVALID(s_axi_control_ARVALID),
    .s_axi_control_ARREADY(s_axi_control_ARREADY),
    .s_axi_control_ARADDR(s_axi_control_ARADDR),
    .s_axi_control_RVALID(s_axi_control_RVALID),
    .s_axi_control_RREADY(s_axi_control_RREADY),
    .s_axi_control_RDATA(s_axi_control_RDATA),
    .s_axi_control_RRESP(s_axi_control_RRESP),
    .s_axi_control_BVALID(s_axi_control_BVALID),
    .s_axi_control_BREADY(s_axi_control_BREADY),
    .s_axi_control_BRESP(s_axi_control_BRESP),
    .interrupt(interrupt)
);

endmodule // stencil5_q8_8
