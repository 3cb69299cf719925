// ==============================================================
// codesign: behavioural, synthesizable replacement for the Xilinx Floating-Point
// Operator IP (floating_point_v7_1) that Vitis HLS configures for the core
//   ufunc_f32_fmul_32ns_32ns_32_3_max_dsp_1_ip
//   (operation_type Multiply, c_mult_usage Max_Usage, Single, C_LATENCY 1,
//    C_RATE 1, flow_control NonBlocking, has_aclken true, no result_tready)
// The IP's simulation model is VHDL, which Verilator cannot read; this module has
// the IP's name, ports and latency, so the wrapper from a real export works with
// it unchanged. C_LATENCY = NUM_STAGE - 2 of the wrapper (3): the wrapper's input
// register is the other stage.
//
// result = a * b, binary32:
//   * subnormal inputs read as zero with their sign (DAZ);
//   * round to nearest, ties to even, to 24 significant bits with an unbounded
//     exponent; if that rounded magnitude is below 2^-126 the result is zero
//     with the sign of the product (FTZ after rounding: a product just below
//     2^-126 that rounds up to 2^-126 is kept);
//   * a rounded magnitude of 2^128 or more is infinity;
//   * NaN in, 0 * Inf: the canonical quiet NaN 0x7FC00000;
//   * the sign is a.sign ^ b.sign, also for zeros and infinities.
// One stage: multiply, normalize, round and pack, then the output register.
// ==============================================================

`timescale 1 ns / 1 ps

module ufunc_f32_fmul_32ns_32ns_32_3_max_dsp_1_ip (
        aclk,
        aclken,
        s_axis_a_tvalid,
        s_axis_a_tdata,
        s_axis_b_tvalid,
        s_axis_b_tdata,
        m_axis_result_tvalid,
        m_axis_result_tdata
);

input   aclk;
input   aclken;
input   s_axis_a_tvalid;
input  [31:0] s_axis_a_tdata;
input   s_axis_b_tvalid;
input  [31:0] s_axis_b_tdata;
output   m_axis_result_tvalid;
output  [31:0] m_axis_result_tdata;

localparam   [31:0] QNAN = 32'h7fc00000;

wire   [7:0] ea = s_axis_a_tdata[30:23];
wire   [7:0] eb = s_axis_b_tdata[30:23];
wire   [22:0] fa = s_axis_a_tdata[22:0];
wire   [22:0] fb = s_axis_b_tdata[22:0];
wire   sign = s_axis_a_tdata[31] ^ s_axis_b_tdata[31];

wire   a_zero = (ea == 8'd0);               // zero or subnormal (DAZ)
wire   b_zero = (eb == 8'd0);
wire   a_inf  = (ea == 8'hff) & (fa == 23'd0);
wire   b_inf  = (eb == 8'hff) & (fb == 23'd0);
wire   a_nan  = (ea == 8'hff) & (fa != 23'd0);
wire   b_nan  = (eb == 8'hff) & (fb != 23'd0);

// both normal: 24 x 24 -> 48-bit product in [2^46, 2^48)
wire   [47:0] prod = {1'b1, fa} * {1'b1, fb};
wire   p_msb = prod[47];
wire   [47:0] norm = p_msb ? prod : {prod[46:0], 1'b0};   // leading one at bit 47
wire   [22:0] frac = norm[46:24];
wire   guard = norm[23];
wire   rest = |norm[22:0];
wire   round_up = guard & (rest | frac[0]);
wire   [23:0] frac_r = {1'b0, frac} + {23'd0, round_up};   // bit 23: carry out
// value = 1.frac * 2^(exp - 127) with exp = ea + eb - 127 (+1 if prod >= 2^47,
// +1 on carry): -125 .. 383
wire   signed [10:0] exp_r = $signed({3'b000, ea}) + $signed({3'b000, eb}) - 11'sd127
                           + $signed({10'd0, p_msb}) + $signed({10'd0, frac_r[23]});

reg    [31:0] result;

always @ (*) begin
    if (a_nan | b_nan | (a_inf & b_zero) | (a_zero & b_inf)) begin
        result = QNAN;
    end else if (a_inf | b_inf) begin
        result = {sign, 8'hff, 23'd0};
    end else if (a_zero | b_zero) begin
        result = {sign, 31'd0};
    end else if (exp_r <= 11'sd0) begin
        result = {sign, 31'd0};                      // FTZ (on the rounded value)
    end else if (exp_r >= 11'sd255) begin
        result = {sign, 8'hff, 23'd0};               // overflow
    end else begin
        result = {sign, exp_r[7:0], frac_r[22:0]};
    end
end

reg    r_vld;
reg    [31:0] r_result;

always @ (posedge aclk) begin
    if (aclken == 1'b1) begin
        r_vld <= s_axis_a_tvalid & s_axis_b_tvalid;
        r_result <= result;
    end
end

assign m_axis_result_tvalid = r_vld;
assign m_axis_result_tdata = r_result;

endmodule // ufunc_f32_fmul_32ns_32ns_32_3_max_dsp_1_ip
