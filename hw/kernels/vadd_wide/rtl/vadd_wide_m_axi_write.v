// codesign: hand-written to the Vitis HLS export contract. The write side of an m_axi
// adapter (AW, W and B channels of one bundle): on `start`, writes `beats` data beats to
// `base` with INCR bursts of at most MAX_BEATS beats, never crossing a 4 KiB boundary, up to
// MAX_OUT bursts in flight. W beats come from `din` (taken with `din_ready`) once their
// burst's AW is accepted; the last beat of the call is strobed with `last_strb` (a tail
// shorter than the bus). `done` pulses when every B response is in; `idle` is high between
// calls. `base` must be aligned to the bus width. Non-ANSI, as Vitis writes it.
`timescale 1 ns / 1 ps

module vadd_wide_m_axi_write (
        ap_clk, ap_rst_n, start, base, beats, last_strb,
        AWVALID, AWREADY, AWADDR, AWLEN,
        WVALID, WREADY, WDATA, WSTRB, WLAST,
        BVALID, BREADY,
        din, din_valid, din_ready, done, idle
);

parameter    DW = 512;           // bus width in bits
parameter    MAX_BEATS = 64;     // longest burst (AxLEN 63)
parameter    MAX_OUT = 8;        // write bursts in flight at most (AW accepted, B not yet in)

localparam   BYTES = DW / 8;
localparam   SHIFT = $clog2(BYTES);

input   ap_clk;
input   ap_rst_n;
input   start;
input  [63:0] base;
input  [31:0] beats;
input  [BYTES - 1:0] last_strb;
output  AWVALID;
input   AWREADY;
output [63:0] AWADDR;
output [7:0] AWLEN;
output  WVALID;
input   WREADY;
output [DW - 1:0] WDATA;
output [BYTES - 1:0] WSTRB;
output  WLAST;
input   BVALID;
output  BREADY;
input  [DW - 1:0] din;
input   din_valid;
output  din_ready;
output  done;
output  idle;

reg running;
reg done_r;
reg [BYTES - 1:0] last_strb_r;
reg [63:0] wr_addr;
reg [31:0] wr_left;              // beats not yet covered by an AW
reg [31:0] data_left;            // beats not yet sent on W
reg aw_valid_r;
reg [63:0] aw_addr_r;
reg [7:0] aw_len_r;
reg [7:0] issued;                // bursts whose B is not yet in
reg [7:0] len_q [0:MAX_OUT - 1]; // AWLEN of accepted bursts, for WLAST
reg [7:0] q_head;
reg [7:0] q_tail;
reg [7:0] q_count;               // accepted bursts whose data is not complete
reg [7:0] w_beat;

wire [31:0] to_4k = (32'd4096 - {20'd0, wr_addr[11:0]}) >> SHIFT;
wire [31:0] capped = (wr_left < MAX_BEATS) ? wr_left : MAX_BEATS;
wire [31:0] burst_beats = (to_4k < capped) ? to_4k : capped;

wire aw_hs = AWVALID && AWREADY;
wire w_hs = WVALID && WREADY;
wire b_hs = BVALID && BREADY;
wire w_last = (w_beat == len_q[q_head[$clog2(MAX_OUT) - 1:0]]);
wire aw_go = running && !aw_valid_r && wr_left != 32'd0 && issued < MAX_OUT;
wire finished = running && wr_left == 32'd0 && !aw_valid_r && issued == 8'd0 && data_left == 32'd0;

always @(posedge ap_clk) begin
    if (!ap_rst_n) begin
        running <= 1'b0;
        done_r <= 1'b0;
        wr_left <= 32'd0;
        data_left <= 32'd0;
        aw_valid_r <= 1'b0;
        issued <= 8'd0;
        q_head <= 8'd0;
        q_tail <= 8'd0;
        q_count <= 8'd0;
        w_beat <= 8'd0;
    end else begin
        done_r <= 1'b0;
        if (start) begin
            running <= 1'b1;
            wr_addr <= base;
            wr_left <= beats;
            data_left <= beats;
            last_strb_r <= last_strb;
        end else if (finished) begin
            running <= 1'b0;
            done_r <= 1'b1;
        end
        if (aw_go && !start) begin
            aw_valid_r <= 1'b1;
            aw_addr_r <= wr_addr;
            aw_len_r <= burst_beats[7:0] - 8'd1;
            wr_addr <= wr_addr + ({32'd0, burst_beats} << SHIFT);
            wr_left <= wr_left - burst_beats;
        end else if (aw_hs) begin
            aw_valid_r <= 1'b0;
        end
        if (aw_hs) begin
            len_q[q_tail[$clog2(MAX_OUT) - 1:0]] <= aw_len_r;
            q_tail <= (q_tail == MAX_OUT - 1) ? 8'd0 : q_tail + 8'd1;
        end
        if (w_hs) begin
            data_left <= data_left - 32'd1;
            if (w_last) begin
                w_beat <= 8'd0;
                q_head <= (q_head == MAX_OUT - 1) ? 8'd0 : q_head + 8'd1;
            end else begin
                w_beat <= w_beat + 8'd1;
            end
        end
        q_count <= q_count + {7'd0, aw_hs} - {7'd0, w_hs && w_last};
        issued <= issued + {7'd0, aw_go && !start} - {7'd0, b_hs};
    end
end

assign AWVALID = aw_valid_r;
assign AWADDR = aw_addr_r;
assign AWLEN = aw_len_r;
assign WVALID = din_valid && q_count != 8'd0;
assign WDATA = din;
assign WSTRB = (data_left == 32'd1) ? last_strb_r : {BYTES{1'b1}};
assign WLAST = w_last;
assign BREADY = 1'b1;
assign din_ready = WREADY && q_count != 8'd0;
assign done = done_r;
assign idle = !running;

endmodule
