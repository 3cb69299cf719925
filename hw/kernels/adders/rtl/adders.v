// codesign: hand-written to the Vitis HLS export contract (non-ANSI Verilog, port names
// and register map as Vitis exports them) for hls/adders.cpp, the kernel-optimization
// guide's N_stage_Adders: read_input -> STAGES adder stages -> write_result under DATAFLOW,
// chained by streams; out[i] = in[i] + STAGES * incr (i32, wrapping) for i < size.
// One 32-bit m_axi bundle gmem0 (in read, out written, 64-beat bursts), pointers, incr and
// size on s_axilite, ap_ctrl_chain.
//
// The processes run concurrently, one element per cycle each, linked by handshaked
// registers (the streams): read_input is the m_axi read adapter and its FIFO, each stage a
// pipeline register adding incr, write_result the m_axi write adapter. A call takes about
// size + the pipeline fill, not size x STAGES. STAGES is a parameter (-GSTAGES=n).
`timescale 1 ns / 1 ps

module adders (
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

parameter    STAGES = 4;
parameter    C_S_AXI_CONTROL_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_ADDR_WIDTH = 6;

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
output  [31:0] m_axi_gmem0_WDATA;
output  [3:0] m_axi_gmem0_WSTRB;
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
input   [31:0] m_axi_gmem0_RDATA;
input   m_axi_gmem0_RLAST;
input   [0:0] m_axi_gmem0_RID;
input   [0:0] m_axi_gmem0_RUSER;
input   [1:0] m_axi_gmem0_RRESP;
input   [0:0] m_axi_gmem0_BVALID;
output  m_axi_gmem0_BREADY;
input   [1:0] m_axi_gmem0_BRESP;
input   [0:0] m_axi_gmem0_BID;
input   [0:0] m_axi_gmem0_BUSER;
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
wire   [63:0] in_r;
wire   [63:0] out_r;
wire   [31:0] incr;
wire   [31:0] size;
reg    [31:0] incr_r;
reg    running;
reg    ap_done_reg;

adders_control_s_axi #(
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
    .in_r(in_r),
    .out_r(out_r),
    .incr(incr),
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

// The streams: stream k feeds stage k; stream 0 is read_input's output, stream STAGES
// write_result's input.
wire   [32 * (STAGES + 1) - 1:0] s_data;
wire   [STAGES:0] s_valid;
wire   [STAGES:0] s_ready;
wire   w_done;
wire   w_idle;

// read_input
adders_m_axi_read #(.DW(32), .FIFO_LOG2(7)) read_input (
    .ap_clk(ap_clk), .ap_rst_n(ap_rst_n), .start(call_start), .base(in_r), .beats(size),
    .ARVALID(m_axi_gmem0_ARVALID), .ARREADY(m_axi_gmem0_ARREADY), .ARADDR(m_axi_gmem0_ARADDR),
    .ARLEN(m_axi_gmem0_ARLEN), .RVALID(m_axi_gmem0_RVALID), .RREADY(m_axi_gmem0_RREADY),
    .RDATA(m_axi_gmem0_RDATA), .RLAST(m_axi_gmem0_RLAST),
    .dout(s_data[31:0]), .dout_valid(s_valid[0]), .dout_ready(s_ready[0])
);

// adder stages: each an hls::stream of depth 2 (as HLS gives a stream between DATAFLOW
// processes) with the add on its way in: READY comes from a flop, so no combinational path
// runs through the chain, and a full stage still moves one element per cycle.
genvar stage;
generate
    for (stage = 0; stage < STAGES; stage = stage + 1) begin : stages
        reg [31:0] head;
        reg [31:0] second;
        reg [1:0] count;
        wire [31:0] added = s_data[stage * 32 +: 32] + incr_r;
        wire push = s_valid[stage] && s_ready[stage];
        wire pop = s_valid[stage + 1] && s_ready[stage + 1];
        assign s_ready[stage] = count != 2'd2;
        always @(posedge ap_clk) begin
            if (!ap_rst_n) begin
                count <= 2'd0;
            end else begin
                count <= count + {1'b0, push} - {1'b0, pop};
                if (pop) begin
                    head <= (count == 2'd2) ? second : added;
                end else if (push && count == 2'd0) begin
                    head <= added;
                end
                if (push && (count == 2'd2 || (count == 2'd1 && !pop))) begin
                    second <= added;
                end
            end
        end
        assign s_valid[stage + 1] = count != 2'd0;
        assign s_data[(stage + 1) * 32 +: 32] = head;
    end
endgenerate

// write_result
adders_m_axi_write #(.DW(32)) write_result (
    .ap_clk(ap_clk), .ap_rst_n(ap_rst_n), .start(call_start), .base(out_r), .beats(size),
    .last_strb(4'hf),
    .AWVALID(m_axi_gmem0_AWVALID), .AWREADY(m_axi_gmem0_AWREADY), .AWADDR(m_axi_gmem0_AWADDR),
    .AWLEN(m_axi_gmem0_AWLEN), .WVALID(m_axi_gmem0_WVALID), .WREADY(m_axi_gmem0_WREADY),
    .WDATA(m_axi_gmem0_WDATA), .WSTRB(m_axi_gmem0_WSTRB), .WLAST(m_axi_gmem0_WLAST),
    .BVALID(m_axi_gmem0_BVALID), .BREADY(m_axi_gmem0_BREADY),
    .din(s_data[STAGES * 32 +: 32]), .din_valid(s_valid[STAGES]), .din_ready(s_ready[STAGES]),
    .done(w_done), .idle(w_idle)
);

always @(posedge ap_clk) begin
    if (!ap_rst_n) begin
        running <= 1'b0;
        ap_done_reg <= 1'b0;
    end else begin
        if (call_start) begin
            running <= 1'b1;
            incr_r <= incr;
        end else if (w_done) begin
            running <= 1'b0;
        end
        if (w_done) begin
            ap_done_reg <= 1'b1;
        end else if (ap_continue) begin
            ap_done_reg <= 1'b0;
        end
    end
end

assign ap_ready = call_start;
assign ap_idle = !running && !ap_start;

assign m_axi_gmem0_AWSIZE = 3'd2;
assign m_axi_gmem0_ARSIZE = 3'd2;
assign m_axi_gmem0_WID = 1'b0;
assign m_axi_gmem0_WUSER = 1'b0;
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

endmodule
