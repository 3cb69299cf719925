// ==============================================================
// codesign: hand-written stand-in for the Vitis HLS register slice
// (<top>_regslice_both.v) of the gemm kernels
// (shared by gemm_pe4_w16 and gemm_pe8_w8).
//
// A two-entry skid buffer between an AXI4-Stream port and the core:
//   * every output (ack_in, vld_out, data_out) comes straight from a flop,
//     so there is no combinational path through the slice;
//   * full throughput: one beat in and one beat out per cycle;
//   * apdone_blk is high while a beat is still held that will not leave
//     in the current cycle; the core holds ap_done until it is low.
// Same ports/parameter as the Vitis module; a real export names it
// <top>_regslice_both (one copy per top) and replaces this shared file.
// ==============================================================

`timescale 1 ns / 1 ps

module gemm_regslice_both (
        ap_clk,
        ap_rst,
        data_in,
        vld_in,
        ack_in,
        data_out,
        vld_out,
        ack_out,
        apdone_blk
);

parameter    DataWidth = 32;

input   ap_clk;
input   ap_rst;
input  [DataWidth - 1:0] data_in;
input   vld_in;
output   ack_in;
output  [DataWidth - 1:0] data_out;
output   vld_out;
input   ack_out;
output   apdone_blk;

// main (head) entry: what the consumer sees
reg    [DataWidth - 1:0] main_data;
reg    main_vld;
// skid entry: catches the beat accepted while the head was stalled
reg    [DataWidth - 1:0] skid_data;
reg    skid_vld;

wire   push;
wire   pop;

assign ack_in   = ~skid_vld;
assign vld_out  = main_vld;
assign data_out = main_data;
assign push     = vld_in & ~skid_vld;
assign pop      = main_vld & ack_out;
assign apdone_blk = skid_vld | (main_vld & ~ack_out);

always @ (posedge ap_clk) begin
    if (ap_rst == 1'b1) begin
        main_vld <= 1'b0;
        skid_vld <= 1'b0;
    end else begin
        if (skid_vld == 1'b1) begin
            // full: nothing enters; the skid entry moves up when the head leaves
            if (ack_out == 1'b1) begin
                skid_vld <= 1'b0;
            end
        end else if ((main_vld == 1'b1) & (ack_out == 1'b0)) begin
            // head stalled: a new beat goes to the skid entry
            if (vld_in == 1'b1) begin
                skid_vld <= 1'b1;
            end
        end else begin
            // head empty or leaving this cycle: refill it from the input
            main_vld <= vld_in;
        end
    end
end

// payload registers (no reset needed, qualified by the valid flags)
always @ (posedge ap_clk) begin
    if ((skid_vld == 1'b1) & (ack_out == 1'b1)) begin
        main_data <= skid_data;
    end else if ((push == 1'b1) & ((main_vld == 1'b0) | (pop == 1'b1))) begin
        main_data <= data_in;
    end
end

always @ (posedge ap_clk) begin
    if ((push == 1'b1) & (main_vld == 1'b1) & (ack_out == 1'b0)) begin
        skid_data <= data_in;
    end
end

endmodule // gemm_regslice_both
