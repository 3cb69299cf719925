// codesign: hand-written to the Vitis HLS export contract (non-ANSI Verilog, port names
// and register map as Vitis exports them) for hls/vadd_wide.cpp: c[i] = a[i] + b[i] (i32,
// wrapping) for i < size, over two 512-bit m_axi bundles (gmem0: a read, c written; gmem1:
// b read) with 64-beat INCR bursts, pointers and size on s_axilite, ap_ctrl_chain.
//
// Datapath: two read adapters (vadd_wide_m_axi_read) fill 256-beat FIFOs with a and b; a
// beat of each makes 16 lane sums that go straight to the write adapter
// (vadd_wide_m_axi_write), one 64-byte beat per cycle. A size not a multiple of 16 ends in
// a partial beat: its reads cover the whole beat (buffers are page-granular), its write is
// strobed to the lanes that exist.
`timescale 1 ns / 1 ps

module vadd_wide (
        ap_clk,
        ap_rst_n,
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
        m_axi_gmem0_BUSER,
        m_axi_gmem1_AWVALID,
        m_axi_gmem1_AWREADY,
        m_axi_gmem1_AWADDR,
        m_axi_gmem1_AWID,
        m_axi_gmem1_AWLEN,
        m_axi_gmem1_AWSIZE,
        m_axi_gmem1_AWBURST,
        m_axi_gmem1_AWLOCK,
        m_axi_gmem1_AWCACHE,
        m_axi_gmem1_AWPROT,
        m_axi_gmem1_AWQOS,
        m_axi_gmem1_AWREGION,
        m_axi_gmem1_AWUSER,
        m_axi_gmem1_WVALID,
        m_axi_gmem1_WREADY,
        m_axi_gmem1_WDATA,
        m_axi_gmem1_WSTRB,
        m_axi_gmem1_WLAST,
        m_axi_gmem1_WID,
        m_axi_gmem1_WUSER,
        m_axi_gmem1_ARVALID,
        m_axi_gmem1_ARREADY,
        m_axi_gmem1_ARADDR,
        m_axi_gmem1_ARID,
        m_axi_gmem1_ARLEN,
        m_axi_gmem1_ARSIZE,
        m_axi_gmem1_ARBURST,
        m_axi_gmem1_ARLOCK,
        m_axi_gmem1_ARCACHE,
        m_axi_gmem1_ARPROT,
        m_axi_gmem1_ARQOS,
        m_axi_gmem1_ARREGION,
        m_axi_gmem1_ARUSER,
        m_axi_gmem1_RVALID,
        m_axi_gmem1_RREADY,
        m_axi_gmem1_RDATA,
        m_axi_gmem1_RLAST,
        m_axi_gmem1_RID,
        m_axi_gmem1_RUSER,
        m_axi_gmem1_RRESP,
        m_axi_gmem1_BVALID,
        m_axi_gmem1_BREADY,
        m_axi_gmem1_BRESP,
        m_axi_gmem1_BID,
        m_axi_gmem1_BUSER,
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
parameter    C_S_AXI_CONTROL_ADDR_WIDTH = 6;
parameter    C_M_AXI_DATA_WIDTH = 512;

input   ap_clk;
input   ap_rst_n;
output  [0:0] m_axi_gmem0_AWVALID;
input   m_axi_gmem0_AWREADY;
output  [63:0] m_axi_gmem0_AWADDR;
output  [0:0] m_axi_gmem0_AWID;
output  [7:0] m_axi_gmem0_AWLEN;
output  [2:0] m_axi_gmem0_AWSIZE;
output  [1:0] m_axi_gmem0_AWBURST;
output  [1:0] m_axi_gmem0_AWLOCK;
output  [3:0] m_axi_gmem0_AWCACHE;
output  [2:0] m_axi_gmem0_AWPROT;
output  [3:0] m_axi_gmem0_AWQOS;
output  [3:0] m_axi_gmem0_AWREGION;
output  [0:0] m_axi_gmem0_AWUSER;
output  [0:0] m_axi_gmem0_WVALID;
input   m_axi_gmem0_WREADY;
output  [511:0] m_axi_gmem0_WDATA;
output  [63:0] m_axi_gmem0_WSTRB;
output  m_axi_gmem0_WLAST;
output  [0:0] m_axi_gmem0_WID;
output  [0:0] m_axi_gmem0_WUSER;
output  [0:0] m_axi_gmem0_ARVALID;
input   m_axi_gmem0_ARREADY;
output  [63:0] m_axi_gmem0_ARADDR;
output  [0:0] m_axi_gmem0_ARID;
output  [7:0] m_axi_gmem0_ARLEN;
output  [2:0] m_axi_gmem0_ARSIZE;
output  [1:0] m_axi_gmem0_ARBURST;
output  [1:0] m_axi_gmem0_ARLOCK;
output  [3:0] m_axi_gmem0_ARCACHE;
output  [2:0] m_axi_gmem0_ARPROT;
output  [3:0] m_axi_gmem0_ARQOS;
output  [3:0] m_axi_gmem0_ARREGION;
output  [0:0] m_axi_gmem0_ARUSER;
input   [0:0] m_axi_gmem0_RVALID;
output  m_axi_gmem0_RREADY;
input   [511:0] m_axi_gmem0_RDATA;
input   m_axi_gmem0_RLAST;
input   [0:0] m_axi_gmem0_RID;
input   [0:0] m_axi_gmem0_RUSER;
input   [1:0] m_axi_gmem0_RRESP;
input   [0:0] m_axi_gmem0_BVALID;
output  m_axi_gmem0_BREADY;
input   [1:0] m_axi_gmem0_BRESP;
input   [0:0] m_axi_gmem0_BID;
input   [0:0] m_axi_gmem0_BUSER;
output  [0:0] m_axi_gmem1_AWVALID;
input   m_axi_gmem1_AWREADY;
output  [63:0] m_axi_gmem1_AWADDR;
output  [0:0] m_axi_gmem1_AWID;
output  [7:0] m_axi_gmem1_AWLEN;
output  [2:0] m_axi_gmem1_AWSIZE;
output  [1:0] m_axi_gmem1_AWBURST;
output  [1:0] m_axi_gmem1_AWLOCK;
output  [3:0] m_axi_gmem1_AWCACHE;
output  [2:0] m_axi_gmem1_AWPROT;
output  [3:0] m_axi_gmem1_AWQOS;
output  [3:0] m_axi_gmem1_AWREGION;
output  [0:0] m_axi_gmem1_AWUSER;
output  [0:0] m_axi_gmem1_WVALID;
input   m_axi_gmem1_WREADY;
output  [511:0] m_axi_gmem1_WDATA;
output  [63:0] m_axi_gmem1_WSTRB;
output  m_axi_gmem1_WLAST;
output  [0:0] m_axi_gmem1_WID;
output  [0:0] m_axi_gmem1_WUSER;
output  [0:0] m_axi_gmem1_ARVALID;
input   m_axi_gmem1_ARREADY;
output  [63:0] m_axi_gmem1_ARADDR;
output  [0:0] m_axi_gmem1_ARID;
output  [7:0] m_axi_gmem1_ARLEN;
output  [2:0] m_axi_gmem1_ARSIZE;
output  [1:0] m_axi_gmem1_ARBURST;
output  [1:0] m_axi_gmem1_ARLOCK;
output  [3:0] m_axi_gmem1_ARCACHE;
output  [2:0] m_axi_gmem1_ARPROT;
output  [3:0] m_axi_gmem1_ARQOS;
output  [3:0] m_axi_gmem1_ARREGION;
output  [0:0] m_axi_gmem1_ARUSER;
input   [0:0] m_axi_gmem1_RVALID;
output  m_axi_gmem1_RREADY;
input   [511:0] m_axi_gmem1_RDATA;
input   m_axi_gmem1_RLAST;
input   [0:0] m_axi_gmem1_RID;
input   [0:0] m_axi_gmem1_RUSER;
input   [1:0] m_axi_gmem1_RRESP;
input   [0:0] m_axi_gmem1_BVALID;
output  m_axi_gmem1_BREADY;
input   [1:0] m_axi_gmem1_BRESP;
input   [0:0] m_axi_gmem1_BID;
input   [0:0] m_axi_gmem1_BUSER;
input   s_axi_control_AWVALID;
output  s_axi_control_AWREADY;
input  [C_S_AXI_CONTROL_ADDR_WIDTH - 1:0] s_axi_control_AWADDR;
input   s_axi_control_WVALID;
output  s_axi_control_WREADY;
input  [C_S_AXI_CONTROL_DATA_WIDTH - 1:0] s_axi_control_WDATA;
input  [C_S_AXI_CONTROL_DATA_WIDTH/8 - 1:0] s_axi_control_WSTRB;
input   s_axi_control_ARVALID;
output  s_axi_control_ARREADY;
input  [C_S_AXI_CONTROL_ADDR_WIDTH - 1:0] s_axi_control_ARADDR;
output  s_axi_control_RVALID;
input   s_axi_control_RREADY;
output [C_S_AXI_CONTROL_DATA_WIDTH - 1:0] s_axi_control_RDATA;
output [1:0] s_axi_control_RRESP;
output  s_axi_control_BVALID;
input   s_axi_control_BREADY;
output [1:0] s_axi_control_BRESP;
output  interrupt;

wire   ap_rst_n_inv = ~ap_rst_n;
wire   ap_start;
wire   ap_continue;
wire   ap_ready;
wire   ap_idle;
wire   [63:0] a;
wire   [63:0] b;
wire   [63:0] c;
wire   [31:0] size;
reg    running;
reg    ap_done_reg;

vadd_wide_control_s_axi #(
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
    .a(a),
    .b(b),
    .c(c),
    .size(size),
    .interrupt(interrupt),
    .ap_start(ap_start),
    .ap_done(ap_done_reg),
    .ap_ready(ap_ready),
    .ap_continue(ap_continue),
    .ap_idle(ap_idle)
);

// ap_ctrl_chain: a call starts only once the previous done was acknowledged (ap_continue).
wire   call_start = !running && ap_start && !ap_done_reg;
// Beats of 16 lanes, the last one partial when size % 16 != 0 (33 bits: no overflow).
wire   [32:0] beats_wide = {1'b0, size} + 33'd15;
wire   [31:0] beats = {3'd0, beats_wide[32:4]};
wire   [63:0] last_strb = (size[3:0] == 4'd0) ? {64{1'b1}} : ((64'd1 << {size[3:0], 2'b00}) - 64'd1);

wire   [511:0] a_data;
wire   a_valid;
wire   a_ready;
wire   [511:0] b_data;
wire   b_valid;
wire   b_ready;
wire   [511:0] sum;
wire   c_ready;
wire   c_done;
wire   c_idle;

vadd_wide_m_axi_read #(.DW(512)) read_a (
    .ap_clk(ap_clk), .ap_rst_n(ap_rst_n), .start(call_start), .base(a), .beats(beats),
    .ARVALID(m_axi_gmem0_ARVALID), .ARREADY(m_axi_gmem0_ARREADY), .ARADDR(m_axi_gmem0_ARADDR),
    .ARLEN(m_axi_gmem0_ARLEN), .RVALID(m_axi_gmem0_RVALID), .RREADY(m_axi_gmem0_RREADY),
    .RDATA(m_axi_gmem0_RDATA), .RLAST(m_axi_gmem0_RLAST),
    .dout(a_data), .dout_valid(a_valid), .dout_ready(a_ready)
);

vadd_wide_m_axi_read #(.DW(512)) read_b (
    .ap_clk(ap_clk), .ap_rst_n(ap_rst_n), .start(call_start), .base(b), .beats(beats),
    .ARVALID(m_axi_gmem1_ARVALID), .ARREADY(m_axi_gmem1_ARREADY), .ARADDR(m_axi_gmem1_ARADDR),
    .ARLEN(m_axi_gmem1_ARLEN), .RVALID(m_axi_gmem1_RVALID), .RREADY(m_axi_gmem1_RREADY),
    .RDATA(m_axi_gmem1_RDATA), .RLAST(m_axi_gmem1_RLAST),
    .dout(b_data), .dout_valid(b_valid), .dout_ready(b_ready)
);

// 16 lanes of i32, each wrapping.
genvar lane;
generate
    for (lane = 0; lane < 16; lane = lane + 1) begin : lanes
        assign sum[lane * 32 +: 32] = a_data[lane * 32 +: 32] + b_data[lane * 32 +: 32];
    end
endgenerate

// A pair of beats moves only when both are there and the writer takes the sum.
assign a_ready = c_ready && b_valid;
assign b_ready = c_ready && a_valid;

vadd_wide_m_axi_write #(.DW(512)) write_c (
    .ap_clk(ap_clk), .ap_rst_n(ap_rst_n), .start(call_start), .base(c), .beats(beats),
    .last_strb(last_strb),
    .AWVALID(m_axi_gmem0_AWVALID), .AWREADY(m_axi_gmem0_AWREADY), .AWADDR(m_axi_gmem0_AWADDR),
    .AWLEN(m_axi_gmem0_AWLEN), .WVALID(m_axi_gmem0_WVALID), .WREADY(m_axi_gmem0_WREADY),
    .WDATA(m_axi_gmem0_WDATA), .WSTRB(m_axi_gmem0_WSTRB), .WLAST(m_axi_gmem0_WLAST),
    .BVALID(m_axi_gmem0_BVALID), .BREADY(m_axi_gmem0_BREADY),
    .din(sum), .din_valid(a_valid && b_valid), .din_ready(c_ready), .done(c_done), .idle(c_idle)
);

always @(posedge ap_clk) begin
    if (!ap_rst_n) begin
        running <= 1'b0;
        ap_done_reg <= 1'b0;
    end else begin
        if (call_start) begin
            running <= 1'b1;
        end else if (c_done) begin
            running <= 1'b0;
        end
        if (c_done) begin
            ap_done_reg <= 1'b1;
        end else if (ap_continue) begin
            ap_done_reg <= 1'b0;
        end
    end
end

assign ap_ready = call_start;
assign ap_idle = !running && !ap_start;

// gmem0: full bus beats, INCR; gmem1 only reads.
assign m_axi_gmem0_AWSIZE = 3'd6;
assign m_axi_gmem0_ARSIZE = 3'd6;
assign m_axi_gmem0_WID = 1'b0;
assign m_axi_gmem0_WUSER = 1'b0;
assign m_axi_gmem1_ARSIZE = 3'd6;
assign m_axi_gmem1_AWVALID = 1'b0;
assign m_axi_gmem1_AWADDR = 64'd0;
assign m_axi_gmem1_AWLEN = 8'd0;
assign m_axi_gmem1_AWSIZE = 3'd6;
assign m_axi_gmem1_WVALID = 1'b0;
assign m_axi_gmem1_WDATA = 512'd0;
assign m_axi_gmem1_WSTRB = 64'd0;
assign m_axi_gmem1_WLAST = 1'b0;
assign m_axi_gmem1_WID = 1'b0;
assign m_axi_gmem1_WUSER = 1'b0;
assign m_axi_gmem1_BREADY = 1'b1;
assign m_axi_gmem0_AWID = 1'b0;
assign m_axi_gmem0_AWLOCK = 2'b00;
assign m_axi_gmem0_AWCACHE = 4'b0011;
assign m_axi_gmem0_AWPROT = 3'b000;
assign m_axi_gmem0_AWQOS = 4'b0000;
assign m_axi_gmem0_AWREGION = 4'b0000;
assign m_axi_gmem0_AWUSER = 1'b0;
assign m_axi_gmem0_AWBURST = 2'b01;
assign m_axi_gmem0_ARID = 1'b0;
assign m_axi_gmem0_ARLOCK = 2'b00;
assign m_axi_gmem0_ARCACHE = 4'b0011;
assign m_axi_gmem0_ARPROT = 3'b000;
assign m_axi_gmem0_ARQOS = 4'b0000;
assign m_axi_gmem0_ARREGION = 4'b0000;
assign m_axi_gmem0_ARUSER = 1'b0;
assign m_axi_gmem0_ARBURST = 2'b01;
assign m_axi_gmem1_AWID = 1'b0;
assign m_axi_gmem1_AWLOCK = 2'b00;
assign m_axi_gmem1_AWCACHE = 4'b0011;
assign m_axi_gmem1_AWPROT = 3'b000;
assign m_axi_gmem1_AWQOS = 4'b0000;
assign m_axi_gmem1_AWREGION = 4'b0000;
assign m_axi_gmem1_AWUSER = 1'b0;
assign m_axi_gmem1_AWBURST = 2'b01;
assign m_axi_gmem1_ARID = 1'b0;
assign m_axi_gmem1_ARLOCK = 2'b00;
assign m_axi_gmem1_ARCACHE = 4'b0011;
assign m_axi_gmem1_ARPROT = 3'b000;
assign m_axi_gmem1_ARQOS = 4'b0000;
assign m_axi_gmem1_ARREGION = 4'b0000;
assign m_axi_gmem1_ARUSER = 1'b0;
assign m_axi_gmem1_ARBURST = 2'b01;

endmodule
