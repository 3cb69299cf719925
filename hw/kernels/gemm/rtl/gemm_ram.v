// ==============================================================
// codesign: hand-written stand-in for the on-chip memories Vitis HLS exports
// for `#pragma HLS BIND_STORAGE type=ram_s2p impl=bram`
// (<top>_..._RAM_S2P_BRAM_1R1W): a simple dual-port RAM, one read port and
// one write port, registered read (latency 1, the output holds while `ce0`
// is low), write enable `we1`. Shared by gemm_pe4_w16 and gemm_pe8_w8: one
// bank of B per PE and the buffered row of A.
//
// Contents are not reset: the gemm core only reads a location in a call
// after writing it in the same call (columns past n are read but never
// emitted).
// ==============================================================

`timescale 1 ns / 1 ps

module gemm_ram (
        clk,
        address0,
        ce0,
        q0,
        address1,
        we1,
        d1
);

parameter    DataWidth = 16;
parameter    AddressWidth = 10;
parameter    AddressRange = 1024;

input   clk;
input  [AddressWidth - 1:0] address0;
input   ce0;
output  [DataWidth - 1:0] q0;
input  [AddressWidth - 1:0] address1;
input   we1;
input  [DataWidth - 1:0] d1;

reg    [DataWidth - 1:0] ram[0:AddressRange - 1];
reg    [DataWidth - 1:0] q0_reg;

assign q0 = q0_reg;

// read port (the core never reads and writes one RAM in the same cycle)
always @ (posedge clk) begin
    if (ce0 == 1'b1) begin
        q0_reg <= ram[address0];
    end
end

// write port
always @ (posedge clk) begin
    if (we1 == 1'b1) begin
        ram[address1] <= d1;
    end
end

endmodule // gemm_ram
