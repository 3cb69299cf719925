// ==============================================================
// codesign: hand-written RTL with the interface Vitis HLS exports for
//   void gemm_pe8_w8(hls::stream<ap_axis<8,0,0,0>>& a,
//       hls::stream<ap_axis<8,0,0,0>>& b, hls::stream<ap_axis<32,0,0,0>>& c,
//       int m, int n, int k);
//   axis a, b, c; s_axilite m (0x10), n (0x18), k (0x20) and return,
//   bundle control (ap_ctrl_hs, interrupt).
// (see ../hls/gemm_pe8_w8.cpp): C = A x B on ap_int<8> elements, exact,
// on a PE array of 8 processing elements; C as 32-bit integers.
// All of the logic is the shared core gemm_core.v with
// PES=8, W=8, OW=32; this top only fixes the parameters and port widths.
// ==============================================================

`timescale 1 ns / 1 ps

(* CORE_GENERATION_INFO="gemm_pe8_w8_gemm_pe8_w8,hls_ip_codesign,{HLS_INPUT_TYPE=cxx,HLS_SYN_LAT=-1,HLS_SYN_TPT=none}" *)

module gemm_pe8_w8 (
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

// The manifest's `parameters` (GEMM_PES, GEMM_W), passed by the build as -G: the compute and
// data-type customization. The port widths below are this configuration's export.
parameter    GEMM_PES = 8;
parameter    GEMM_W = 8;
parameter    C_S_AXI_CONTROL_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_ADDR_WIDTH = 6;
parameter    C_S_AXI_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_WSTRB_WIDTH = (32 / 8);
parameter    C_S_AXI_WSTRB_WIDTH = (32 / 8);

input   ap_clk;
input   ap_rst_n;
input  [GEMM_W - 1:0] a_TDATA;
input   a_TVALID;
output   a_TREADY;
input  [0:0] a_TKEEP;
input  [0:0] a_TSTRB;
input  [0:0] a_TLAST;
input  [GEMM_W - 1:0] b_TDATA;
input   b_TVALID;
output   b_TREADY;
input  [0:0] b_TKEEP;
input  [0:0] b_TSTRB;
input  [0:0] b_TLAST;
output  [31:0] c_TDATA;
output   c_TVALID;
input   c_TREADY;
output  [3:0] c_TKEEP;
output  [3:0] c_TSTRB;
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

gemm_core #(
    .PES( GEMM_PES ),
    .LOG2_PES( $clog2(GEMM_PES) ),
    .W( GEMM_W ),
    .OW( 32 ),
    .C_S_AXI_CONTROL_DATA_WIDTH( C_S_AXI_CONTROL_DATA_WIDTH ),
    .C_S_AXI_CONTROL_ADDR_WIDTH( C_S_AXI_CONTROL_ADDR_WIDTH ))
core_U(
    .ap_clk(ap_clk),
    .ap_rst_n(ap_rst_n),
    .a_TDATA(a_TDATA),
    .a_TVALID(a_TVALID),
    .a_TREADY(a_TREADY),
    .a_TKEEP(a_TKEEP),
    .a_TSTRB(a_TSTRB),
    .a_TLAST(a_TLAST),
    .b_TDATA(b_TDATA),
    .b_TVALID(b_TVALID),
    .b_TREADY(b_TREADY),
    .b_TKEEP(b_TKEEP),
    .b_TSTRB(b_TSTRB),
    .b_TLAST(b_TLAST),
    .c_TDATA(c_TDATA),
    .c_TVALID(c_TVALID),
    .c_TREADY(c_TREADY),
    .c_TKEEP(c_TKEEP),
    .c_TSTRB(c_TSTRB),
    .c_TLAST(c_TLAST),
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

endmodule // gemm_pe8_w8
