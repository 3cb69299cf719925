// ==============================================================
// codesign: the parameterised body of the stencil5 kernels, shared by the
// tops stencil5_q8_8 (W=16, F=8) and stencil5_q16_16 (W=32, F=16). It has
// the interface Vitis HLS exports for (see ../hls/stencil5.h)
//   template<int W, int I> void stencil5(
//       hls::stream<ap_axis<W,0,0,0>>& in, hls::stream<ap_axis<W,0,0,0>>& out,
//       int width, int height);
//   axis in, out (renamed in_r, out_r); s_axilite width (0x10), height (0x18)
//   and return, bundle control (ap_ctrl_hs in the register map, interrupt).
//
// Function: the 5-point stencil (NumPy filter_avg, HeteroCL Jacobi) on a
// width x height grid of ap_fixed<W, W-F> values, read row-major from in_r
// (exactly width*height beats; TKEEP/TSTRB/TLAST of in_r are ignored):
//   out[y-1][x-1] = 0.2 * (in[y][x-1] + in[y-1][x-1] + in[y-1][x]
//                          + in[y-2][x-1] + in[y-1][x-2])
// for every input position y >= 2, x >= 2, i.e. NumPy's x[1:-1, 1:-1]
// shape, (height-2) x (width-2) beats row-major on out_r, TLAST on the last
// one, TKEEP/TSTRB all ones. Exact arithmetic (AP_TRN / AP_WRAP, 0.2
// quantized to C/2^F with C = floor(0.2 * 2^F): 51 for F=8, 13107 for F=16):
//   s = sum of the five raw values      (exact, W+3 bits)
//   p = s * C                           (exact)
//   out = (p >>> F) mod 2^W             (floor, then two's-complement wrap)
//
// Arguments (read as signed 32-bit `int`, sampled at ap_start): unless
// 3 <= width <= MAX_WIDTH and height >= 3, the call reads nothing, writes
// nothing and raises ap_done in the cycle after the one that sees ap_start.
//
// Pipeline (II=1, the whole pipeline stalls while the output is blocked):
//   stage 0: accept in[y][x]; read line buffers lb_mid[x] = in[y-1][x] and
//            lb_up[x] = in[y-2][x] (registered RAM read)
//   stage 1: write lb_mid[x] <= in[y][x], lb_up[x] <= in[y-1][x]; shift the
//            window registers; sum the five values
//   stage 2: s registered; product and truncation
//   stage 3: result register -> output register slice
// Two line buffers of MAX_WIDTH elements each (simple dual-port RAMs).
// ==============================================================

`timescale 1 ns / 1 ps

module stencil5_core (
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

// element width (a multiple of 8) and fractional bits of ap_fixed<W, W-F>
parameter    W = 16;
parameter    F = 8;
// widest grid (line-buffer depth); address bits for it
parameter    MAX_WIDTH = 1024;
parameter    ADDR_W = 10;

parameter    ap_ST_fsm_state1 = 3'd1;   // idle, waiting for ap_start
parameter    ap_ST_fsm_pp0 = 3'd2;      // pipelined loop over width*height, II=1
parameter    ap_ST_fsm_state3 = 3'd4;   // drain the pipeline before ap_done
parameter    C_S_AXI_CONTROL_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_ADDR_WIDTH = 5;
parameter    C_S_AXI_CONTROL_WSTRB_WIDTH = (32 / 8);

input   ap_clk;
input   ap_rst_n;
input  [W - 1:0] in_r_TDATA;
input   in_r_TVALID;
output   in_r_TREADY;
input  [W / 8 - 1:0] in_r_TKEEP;
input  [W / 8 - 1:0] in_r_TSTRB;
input  [0:0] in_r_TLAST;
output  [W - 1:0] out_r_TDATA;
output   out_r_TVALID;
input   out_r_TREADY;
output  [W / 8 - 1:0] out_r_TKEEP;
output  [W / 8 - 1:0] out_r_TSTRB;
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

// stream payload through a slice: {last, strb, keep, data}
localparam   KW = W / 8;
localparam   PW = W + 2 * KW + 1;
// the exact sum of five W-bit values needs W+3 bits
localparam   SW = W + 3;
// 0.2 as ap_fixed<W, W-F> with AP_TRN: floor(0.2 * 2^F) = floor(2^F / 5)
// (2^F is never a multiple of 5): 51 for F=8, 13107 for F=16
localparam   [F:0] C = (1 << F) / 5;
// product s * C: SW + F + 1 bits hold it exactly
localparam   MW = SW + F + 1;

reg    ap_done;
reg    ap_idle;
reg    ap_ready;
wire   ap_rst_n_inv;
wire   ap_start;
wire   [31:0] width;
wire   [31:0] height;
(* fsm_encoding = "none" *) reg   [2:0] ap_CS_fsm;
reg    [2:0] ap_NS_fsm;
wire   ap_CS_fsm_state1;
wire   ap_CS_fsm_pp0;
wire   ap_CS_fsm_state3;
wire   args_ok;             // 3 <= width <= MAX_WIDTH, height >= 3 (signed int)
reg    [ADDR_W - 1:0] width_m1_reg;   // width - 1
reg    [31:0] height_m1_reg;          // height - 1

// input slice (core side)
wire   [PW - 1:0] in_r_int_regslice;
wire   in_r_TVALID_int_regslice;
wire   in_r_TREADY_int_regslice;
wire   regslice_both_in_r_U_apdone_blk;
// output slice (core side)
wire   [PW - 1:0] out_r_int_regslice;
wire   out_r_TVALID_int_regslice;
wire   out_r_TREADY_int_regslice;
wire   regslice_both_out_r_U_apdone_blk;
wire   [PW - 1:0] out_r_regslice_data;

// loop datapath
wire   ap_block_pp0;        // pipeline cannot advance (output blocked)
wire   ap_adv;              // every stage moves on this cycle
wire   loop_read;           // one element is read this cycle (stage 0)
wire   loop_last;           // ... and it is the grid's last
wire   [W - 1:0] in_data;
reg    [ADDR_W - 1:0] x_reg;          // column of the next element
reg    [31:0] y_reg;                  // row of the next element
// stage 1
reg    s1_vld;
reg    [W - 1:0] s1_data;             // in[y][x]
reg    [ADDR_W - 1:0] s1_x;
reg    s1_out;                        // y >= 2 and x >= 2: an output is due
reg    s1_last;
wire   [W - 1:0] lb_mid_q;            // in[y-1][x]
wire   [W - 1:0] lb_up_q;             // in[y-2][x]
reg    [W - 1:0] win_up;              // in[y-2][x-1]
reg    [W - 1:0] win_center;          // in[y-1][x-1]
reg    [W - 1:0] win_left;            // in[y-1][x-2]
reg    [W - 1:0] win_down;            // in[y][x-1]
wire   signed [SW - 1:0] sum;
// stage 2
reg    s2_vld;
reg    signed [SW - 1:0] s2_sum;
reg    s2_last;
wire   signed [MW - 1:0] product;
// stage 3: result register
reg    [W - 1:0] result_reg;
reg    result_last_reg;
reg    result_vld_reg;

//------------------------Instantiation------------------
stencil5_control_s_axi #(
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
    .width(width),
    .height(height),
    .ap_start(ap_start),
    .interrupt(interrupt),
    .ap_ready(ap_ready),
    .ap_done(ap_done),
    .ap_idle(ap_idle)
);

stencil5_regslice_both #(
    .DataWidth( PW ))
regslice_both_in_r_U(
    .ap_clk(ap_clk),
    .ap_rst(ap_rst_n_inv),
    .data_in({in_r_TLAST, in_r_TSTRB, in_r_TKEEP, in_r_TDATA}),
    .vld_in(in_r_TVALID),
    .ack_in(in_r_TREADY),
    .data_out(in_r_int_regslice),
    .vld_out(in_r_TVALID_int_regslice),
    .ack_out(in_r_TREADY_int_regslice),
    .apdone_blk(regslice_both_in_r_U_apdone_blk)
);

stencil5_regslice_both #(
    .DataWidth( PW ))
regslice_both_out_r_U(
    .ap_clk(ap_clk),
    .ap_rst(ap_rst_n_inv),
    .data_in(out_r_int_regslice),
    .vld_in(out_r_TVALID_int_regslice),
    .ack_in(out_r_TREADY_int_regslice),
    .data_out(out_r_regslice_data),
    .vld_out(out_r_TVALID),
    .ack_out(out_r_TREADY),
    .apdone_blk(regslice_both_out_r_U_apdone_blk)
);

// lb_mid holds row y-1, lb_up row y-2 (HLS: linebuf[2][MAX_WIDTH],
// ARRAY_PARTITION dim=1 complete, BIND_STORAGE ram_s2p bram). Both are read
// at column x in stage 0 and written at column x in stage 1; the two never
// meet on one address in one cycle (consecutive elements differ in x).
stencil5_linebuf_ram #(
    .DataWidth( W ),
    .AddressWidth( ADDR_W ),
    .AddressRange( MAX_WIDTH ))
lb_mid_U(
    .clk(ap_clk),
    .address0(x_reg),
    .ce0(loop_read),
    .q0(lb_mid_q),
    .address1(s1_x),
    .we1(ap_adv & s1_vld),
    .d1(s1_data)
);

stencil5_linebuf_ram #(
    .DataWidth( W ),
    .AddressWidth( ADDR_W ),
    .AddressRange( MAX_WIDTH ))
lb_up_U(
    .clk(ap_clk),
    .address0(x_reg),
    .ce0(loop_read),
    .q0(lb_up_q),
    .address1(s1_x),
    .we1(ap_adv & s1_vld),
    .d1(lb_mid_q)
);

//------------------------Block-level control------------
assign ap_rst_n_inv     = ~ap_rst_n;
assign ap_CS_fsm_state1 = ap_CS_fsm[0];
assign ap_CS_fsm_pp0    = ap_CS_fsm[1];
assign ap_CS_fsm_state3 = ap_CS_fsm[2];

// `int width, int height`: signed comparisons, as the C++ does
assign args_ok = ($signed(width) >= 32'sd3) & ($signed(width) <= MAX_WIDTH)
               & ($signed(height) >= 32'sd3);

always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        ap_CS_fsm <= ap_ST_fsm_state1;
    end else begin
        ap_CS_fsm <= ap_NS_fsm;
    end
end

always @ (*) begin
    case (ap_CS_fsm)
        ap_ST_fsm_state1: begin
            if ((ap_start == 1'b1) & (args_ok == 1'b1)) begin
                ap_NS_fsm = ap_ST_fsm_pp0;
            end else if (ap_start == 1'b1) begin
                // bad arguments: return at once (nothing read, nothing written)
                ap_NS_fsm = ap_ST_fsm_state3;
            end else begin
                ap_NS_fsm = ap_ST_fsm_state1;
            end
        end
        ap_ST_fsm_pp0: begin
            if ((loop_read == 1'b1) & (loop_last == 1'b1)) begin
                ap_NS_fsm = ap_ST_fsm_state3;
            end else begin
                ap_NS_fsm = ap_ST_fsm_pp0;
            end
        end
        ap_ST_fsm_state3: begin
            if (ap_done == 1'b1) begin
                ap_NS_fsm = ap_ST_fsm_state1;
            end else begin
                ap_NS_fsm = ap_ST_fsm_state3;
            end
        end
        default: begin
            ap_NS_fsm = ap_ST_fsm_state1;
        end
    endcase
end

// ap_done/ap_ready: one-cycle pulse once the pipeline is empty and the last
// beat is leaving the output slice
always @ (*) begin
    if ((ap_CS_fsm_state3 == 1'b1) & (s1_vld == 1'b0) & (s2_vld == 1'b0)
            & (result_vld_reg == 1'b0) & (regslice_both_out_r_U_apdone_blk == 1'b0)) begin
        ap_done = 1'b1;
    end else begin
        ap_done = 1'b0;
    end
end

always @ (*) begin
    ap_ready = ap_done;
end

always @ (*) begin
    if ((ap_CS_fsm_state1 == 1'b1) & (ap_start == 1'b0)) begin
        ap_idle = 1'b1;
    end else begin
        ap_idle = 1'b0;
    end
end

// width and height are sampled when the call starts; the counters restart
always @ (posedge ap_clk) begin
    if ((ap_CS_fsm_state1 == 1'b1) & (ap_start == 1'b1)) begin
        width_m1_reg <= width[ADDR_W - 1:0] - 1'b1;
        height_m1_reg <= height - 1'b1;
    end
end

always @ (posedge ap_clk) begin
    if ((ap_CS_fsm_state1 == 1'b1) & (ap_start == 1'b1)) begin
        x_reg <= {ADDR_W{1'b0}};
        y_reg <= 32'd0;
    end else if (loop_read == 1'b1) begin
        if (x_reg == width_m1_reg) begin
            x_reg <= {ADDR_W{1'b0}};
            y_reg <= y_reg + 1'b1;
        end else begin
            x_reg <= x_reg + 1'b1;
        end
    end
end

//------------------------Loop datapath------------------
assign ap_block_pp0 = (result_vld_reg == 1'b1) & (out_r_TREADY_int_regslice == 1'b0);
assign ap_adv       = ~ap_block_pp0;
assign loop_read    = (ap_CS_fsm_pp0 == 1'b1) & (in_r_TVALID_int_regslice == 1'b1) & (ap_adv == 1'b1);
assign loop_last    = (x_reg == width_m1_reg) & (y_reg == height_m1_reg);
assign in_r_TREADY_int_regslice = loop_read;
assign in_data      = in_r_int_regslice[W - 1:0];

// stage 1
always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        s1_vld <= 1'b0;
    end else if (ap_adv == 1'b1) begin
        s1_vld <= loop_read;
    end
end

always @ (posedge ap_clk) begin
    if (loop_read == 1'b1) begin
        s1_data <= in_data;
        s1_x <= x_reg;
        s1_out <= (y_reg >= 32'd2) & (x_reg >= 2);
        s1_last <= loop_last;
    end
end

// window: the column before this one (up, center, down) and two before (left)
always @ (posedge ap_clk) begin
    if ((ap_adv == 1'b1) & (s1_vld == 1'b1)) begin
        win_up <= lb_up_q;
        win_left <= win_center;
        win_center <= lb_mid_q;
        win_down <= s1_data;
    end
end

assign sum = $signed({{3{win_up[W - 1]}}, win_up})
           + $signed({{3{win_left[W - 1]}}, win_left})
           + $signed({{3{win_center[W - 1]}}, win_center})
           + $signed({{3{lb_mid_q[W - 1]}}, lb_mid_q})
           + $signed({{3{win_down[W - 1]}}, win_down});

// stage 2
always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        s2_vld <= 1'b0;
    end else if (ap_adv == 1'b1) begin
        s2_vld <= s1_vld & s1_out;
    end
end

always @ (posedge ap_clk) begin
    if ((ap_adv == 1'b1) & (s1_vld == 1'b1) & (s1_out == 1'b1)) begin
        s2_sum <= sum;
        s2_last <= s1_last;
    end
end

// s * C exactly; AP_TRN: floor(p / 2^F) = p >>> F; AP_WRAP: its low W bits
assign product = s2_sum * $signed({1'b0, C});

// stage 3: result register, handed to the output slice
always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        result_vld_reg <= 1'b0;
    end else if (ap_adv == 1'b1) begin
        result_vld_reg <= s2_vld;
    end
end

always @ (posedge ap_clk) begin
    if ((ap_adv == 1'b1) & (s2_vld == 1'b1)) begin
        result_reg <= product[F + W - 1:F];
        result_last_reg <= s2_last;
    end
end

assign out_r_TVALID_int_regslice = result_vld_reg;
assign out_r_int_regslice = {result_last_reg, {KW{1'b1}}, {KW{1'b1}}, result_reg};

assign out_r_TDATA = out_r_regslice_data[W - 1:0];
assign out_r_TKEEP = out_r_regslice_data[W + KW - 1:W];
assign out_r_TSTRB = out_r_regslice_data[W + 2 * KW - 1:W + KW];
assign out_r_TLAST = out_r_regslice_data[PW - 1];

endmodule // stencil5_core
