// codesign: hand-written to the Vitis HLS export contract. The read side of an m_axi
// adapter (AR and R channels of one bundle): on `start`, reads `beats` data beats from `base`
// with INCR bursts of at most MAX_BEATS beats, never crossing a 4 KiB boundary, with up to
// MAX_OUT bursts in flight so the R channel stays busy. A burst is issued only when the data
// FIFO has room for all of it (space is reserved at AR), so RREADY is always high. The data
// comes out of the FIFO in order, show-ahead (`dout` valid with `dout_valid`, taken with
// `dout_ready`). `base` must be aligned to the bus width. Non-ANSI, as Vitis writes it.
`timescale 1 ns / 1 ps

module vadd_wide_m_axi_read (
        ap_clk, ap_rst_n, start, base, beats,
        ARVALID, ARREADY, ARADDR, ARLEN,
        RVALID, RREADY, RDATA, RLAST,
        dout, dout_valid, dout_ready
);

parameter    DW = 512;           // bus width in bits
parameter    FIFO_LOG2 = 8;      // data FIFO of 2^FIFO_LOG2 beats
parameter    MAX_BEATS = 64;     // longest burst (AxLEN 63)
parameter    MAX_OUT = 8;        // read bursts in flight at most

localparam   BYTES = DW / 8;
localparam   SHIFT = $clog2(BYTES);
localparam   DEPTH = 1 << FIFO_LOG2;

input   ap_clk;
input   ap_rst_n;
input   start;
input  [63:0] base;
input  [31:0] beats;
output  ARVALID;
input   ARREADY;
output [63:0] ARADDR;
output [7:0] ARLEN;
input   RVALID;
output  RREADY;
input  [DW - 1:0] RDATA;
input   RLAST;
output [DW - 1:0] dout;
output  dout_valid;
input   dout_ready;

reg [63:0] rd_addr;
reg [31:0] rd_left;              // beats not yet requested
reg ar_valid_r;
reg [63:0] ar_addr_r;
reg [7:0] ar_len_r;
reg [7:0] in_flight;             // bursts requested, last beat not yet received
reg [FIFO_LOG2:0] reserved;      // FIFO beats requested or buffered, not yet taken
reg [DW - 1:0] fifo [0:DEPTH - 1];
reg [FIFO_LOG2 - 1:0] wr_ptr;
reg [FIFO_LOG2 - 1:0] rd_ptr;
reg [FIFO_LOG2:0] count;

// Beats of the next burst: min(left, MAX_BEATS, beats to the next 4 KiB boundary).
wire [31:0] to_4k = (32'd4096 - {20'd0, rd_addr[11:0]}) >> SHIFT;
wire [31:0] capped = (rd_left < MAX_BEATS) ? rd_left : MAX_BEATS;
wire [31:0] burst_beats = (to_4k < capped) ? to_4k : capped;

wire ar_hs = ARVALID && ARREADY;
wire r_hs = RVALID && RREADY;
wire pop = dout_valid && dout_ready;
wire ar_go = !ar_valid_r && rd_left != 32'd0 && in_flight < MAX_OUT
        && ({{(31 - FIFO_LOG2){1'b0}}, reserved} + burst_beats <= DEPTH);

always @(posedge ap_clk) begin
    if (!ap_rst_n) begin
        rd_left <= 32'd0;
        ar_valid_r <= 1'b0;
        in_flight <= 8'd0;
        reserved <= {(FIFO_LOG2 + 1){1'b0}};
        wr_ptr <= {FIFO_LOG2{1'b0}};
        rd_ptr <= {FIFO_LOG2{1'b0}};
        count <= {(FIFO_LOG2 + 1){1'b0}};
    end else begin
        if (start) begin
            rd_addr <= base;
            rd_left <= beats;
        end else if (ar_go) begin
            ar_valid_r <= 1'b1;
            ar_addr_r <= rd_addr;
            ar_len_r <= burst_beats[7:0] - 8'd1;
            rd_addr <= rd_addr + ({32'd0, burst_beats} << SHIFT);
            rd_left <= rd_left - burst_beats;
        end else if (ar_hs) begin
            ar_valid_r <= 1'b0;
        end
        in_flight <= in_flight + {7'd0, ar_go && !start} - {7'd0, r_hs && RLAST};
        reserved <= reserved + ((ar_go && !start) ? burst_beats[FIFO_LOG2:0] : {(FIFO_LOG2 + 1){1'b0}})
                - {{FIFO_LOG2{1'b0}}, pop};
        if (r_hs) begin
            fifo[wr_ptr] <= RDATA;
            wr_ptr <= wr_ptr + 1'b1;
        end
        if (pop) begin
            rd_ptr <= rd_ptr + 1'b1;
        end
        count <= count + {{FIFO_LOG2{1'b0}}, r_hs} - {{FIFO_LOG2{1'b0}}, pop};
    end
end

assign ARVALID = ar_valid_r;
assign ARADDR = ar_addr_r;
assign ARLEN = ar_len_r;
assign RREADY = 1'b1;
assign dout = fifo[rd_ptr];
assign dout_valid = count != {(FIFO_LOG2 + 1){1'b0}};

endmodule
