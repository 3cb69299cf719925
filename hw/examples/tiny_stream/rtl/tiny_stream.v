// Example (issue 16): the smallest useful free-running (ap_ctrl_none) AXI4-Stream kernel, out
// of tree: loaded with `--kernel-dir`, so bench-sim measures the harness where its overhead
// shows most (a model this small costs little per cycle). One register stage with a
// pass-through ready: out = in + 1, one beat per cycle at full rate.
`timescale 1 ns / 1 ps

module tiny_stream (
        ap_clk,
        ap_rst_n,
        in_r_TDATA,
        in_r_TVALID,
        in_r_TREADY,
        out_r_TDATA,
        out_r_TVALID,
        out_r_TREADY
);

input   ap_clk;
input   ap_rst_n;
input  [31:0] in_r_TDATA;
input   in_r_TVALID;
output  in_r_TREADY;
output [31:0] out_r_TDATA;
output  out_r_TVALID;
input   out_r_TREADY;

reg [31:0] data_reg;
reg        valid_reg;

// Take a new beat whenever the register is empty or is being emptied this cycle.
assign in_r_TREADY = ~valid_reg | out_r_TREADY;
assign out_r_TDATA = data_reg;
assign out_r_TVALID = valid_reg;

always @ (posedge ap_clk) begin
    if (ap_rst_n == 1'b0) begin
        valid_reg <= 1'b0;
    end else if (in_r_TREADY == 1'b1) begin
        valid_reg <= in_r_TVALID;
    end
end

always @ (posedge ap_clk) begin
    if ((in_r_TREADY & in_r_TVALID) == 1'b1) begin
        data_reg <= in_r_TDATA + 32'd1;
    end
end

endmodule
