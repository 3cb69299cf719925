// ==============================================================
// codesign: hand-written stand-in for the line-buffer memory Vitis HLS
// exports for `#pragma HLS BIND_STORAGE type=ram_s2p impl=bram`
// (<top>_..._RAM_S2P_BRAM_1R1W): a simple dual-port RAM, one read port and
// one write port, registered read (latency 1), read enable `ce0`, write
// enable `we1`. Shared by stencil5_q8_8 and stencil5_q16_16.
//
// Contents are not reset: the stencil core only reads a location in a call
// after writing it in the same call (rows y-1 and y-2 of the current grid).
// ==============================================================

`timescale 1 ns / 1 ps

module stencil5_linebuf_ram (
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

// read port (the core never reads and writes one address in the same cycle)
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

endmodule // stencil5_linebuf_ram
