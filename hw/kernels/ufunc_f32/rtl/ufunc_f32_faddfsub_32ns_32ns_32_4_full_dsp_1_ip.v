// ==============================================================
// codesign: behavioural, synthesizable replacement for the Xilinx Floating-Point
// Operator IP (floating_point_v7_1) that Vitis HLS configures for the core
//   ufunc_f32_faddfsub_32ns_32ns_32_4_full_dsp_1_ip
//   (operation_type Add_Subtract, add_sub_value Both, Single, C_LATENCY 2,
//    C_RATE 1, flow_control NonBlocking, has_aclken true, no result_tready)
// The IP's simulation model is VHDL, which Verilator cannot read; this module has
// the IP's name, ports and latency, so the wrapper from a real export works with
// it unchanged. C_LATENCY = NUM_STAGE - 2 of the wrapper (4): the wrapper's input
// register is the other stage.
//
// result = a + b (s_axis_operation_tdata[0] = 0) or a - b (= 1), binary32:
//   * subnormal inputs read as zero with their sign (DAZ);
//   * round to nearest, ties to even;
//   * a result below 2^-126 in magnitude is flushed to zero with the sign of
//     the exact result (FTZ; for a sum of normal numbers that result is exact);
//   * a rounded magnitude of 2^128 or more is infinity;
//   * NaN in, Inf - Inf: the canonical quiet NaN 0x7FC00000;
//   * an exact zero sum is +0, except (-0) + (-0) = -0.
// Stage 1 (a_/b_ inputs -> s1_*): unpack, special cases, order by magnitude,
// align and add the significands. Stage 2 (s1_* -> result): normalize, round,
// pack. Both stages advance with aclken (II = 1).
// ==============================================================

`timescale 1 ns / 1 ps

module ufunc_f32_faddfsub_32ns_32ns_32_4_full_dsp_1_ip (
        aclk,
        aclken,
        s_axis_a_tvalid,
        s_axis_a_tdata,
        s_axis_b_tvalid,
        s_axis_b_tdata,
        s_axis_operation_tvalid,
        s_axis_operation_tdata,
        m_axis_result_tvalid,
        m_axis_result_tdata
);

input   aclk;
input   aclken;
input   s_axis_a_tvalid;
input  [31:0] s_axis_a_tdata;
input   s_axis_b_tvalid;
input  [31:0] s_axis_b_tdata;
input   s_axis_operation_tvalid;
input  [7:0] s_axis_operation_tdata;
output   m_axis_result_tvalid;
output  [31:0] m_axis_result_tdata;

localparam   [31:0] QNAN = 32'h7fc00000;

//------------------------Stage 1: unpack and add-------------------
wire   [7:0] ea = s_axis_a_tdata[30:23];
wire   [7:0] eb = s_axis_b_tdata[30:23];
wire   [22:0] fa = s_axis_a_tdata[22:0];
wire   [22:0] fb = s_axis_b_tdata[22:0];
wire   sa = s_axis_a_tdata[31];
// a - b is a + (-b)
wire   sb = s_axis_b_tdata[31] ^ s_axis_operation_tdata[0];

wire   a_zero = (ea == 8'd0);               // zero or subnormal (DAZ)
wire   b_zero = (eb == 8'd0);
wire   a_inf  = (ea == 8'hff) & (fa == 23'd0);
wire   b_inf  = (eb == 8'hff) & (fb == 23'd0);
wire   a_nan  = (ea == 8'hff) & (fa != 23'd0);
wire   b_nan  = (eb == 8'hff) & (fb != 23'd0);

// special results (any operand NaN, Inf or zero): no rounding needed
reg    special;
reg    [31:0] special_val;

always @ (*) begin
    special = 1'b1;
    if (a_nan | b_nan | (a_inf & b_inf & (sa != sb))) begin
        special_val = QNAN;
    end else if (a_inf) begin
        special_val = {sa, 8'hff, 23'd0};
    end else if (b_inf) begin
        special_val = {sb, 8'hff, 23'd0};
    end else if (a_zero & b_zero) begin
        special_val = {sa & sb, 31'd0};      // -0 only for (-0) + (-0)
    end else if (a_zero) begin
        special_val = {sb, eb, fb};           // 0 + y = y (y normal: exact)
    end else if (b_zero) begin
        special_val = {sa, ea, fa};
    end else begin
        special = 1'b0;
        special_val = 32'd0;
    end
end

// both normal: L = the operand of larger magnitude, S = the other
wire   a_ge_b = ({ea, fa} >= {eb, fb});
wire   [7:0] el = a_ge_b ? ea : eb;
wire   [7:0] es = a_ge_b ? eb : ea;
wire   [23:0] ml = a_ge_b ? {1'b1, fa} : {1'b1, fb};
wire   [23:0] ms = a_ge_b ? {1'b1, fb} : {1'b1, fa};
wire   sl = a_ge_b ? sa : sb;
wire   eff_sub = sa ^ sb;
wire   [7:0] d = el - es;                    // 0 .. 253

// 24-bit significands with 27 zero bits below; S is shifted right by d. Up to
// d = 27 no bit is lost and the sum is exact. Beyond, the lost bits become a
// sticky bit below the field (guard/round/sticky scheme); with 27 guard bits
// and at most one bit of left shift after such a sum, it rounds like the exact
// sum (which then rounds to L itself).
wire   [50:0] ml_x = {ml, 27'd0};
wire   [50:0] ms_full = {ms, 27'd0};
wire   [50:0] ms_x = ms_full >> d;
wire   sticky = ((ms_x << d) != ms_full);
wire   [52:0] sum_l = {1'b0, ml_x, 1'b0};
wire   [52:0] sum_s = {1'b0, ms_x, sticky};
wire   [52:0] sum   = eff_sub ? (sum_l - sum_s) : (sum_l + sum_s);   // never negative

reg    s1_vld;
reg    s1_special;
reg    [31:0] s1_special_val;
reg    s1_sign;
reg    [7:0] s1_exp;
reg    [52:0] s1_sum;

always @ (posedge aclk) begin
    if (aclken == 1'b1) begin
        s1_vld <= s_axis_a_tvalid & s_axis_b_tvalid & s_axis_operation_tvalid;
        s1_special <= special;
        s1_special_val <= special_val;
        s1_sign <= sl;
        s1_exp <= el;
        s1_sum <= sum;
    end
end

//------------------------Stage 2: normalize, round, pack-----------
// position of the leading one of s1_sum (0 when s1_sum == 0)
reg    [5:0] lead;
integer i;

always @ (*) begin
    lead = 6'd0;
    for (i = 0; i < 53; i = i + 1) begin
        if (s1_sum[i] == 1'b1) begin
            lead = i[5:0];
        end
    end
end

// leading one moved to bit 52: 23 fraction bits, guard, sticky below
wire   [52:0] norm = s1_sum << (6'd52 - lead);
wire   [22:0] frac = norm[51:29];
wire   guard = norm[28];
wire   rest = |norm[27:0];
wire   round_up = guard & (rest | frac[0]);
wire   [23:0] frac_r = {1'b0, frac} + {23'd0, round_up};   // bit 23: carry out
// value = 1.frac * 2^(exp - 127) with exp = s1_exp + lead - 51 (+1 on carry)
wire   signed [9:0] exp_r = $signed({2'b00, s1_exp}) + $signed({4'b0000, lead})
                          - 10'sd51 + $signed({9'd0, frac_r[23]});

reg    [31:0] result;

always @ (*) begin
    if (s1_special == 1'b1) begin
        result = s1_special_val;
    end else if (s1_sum == 53'd0) begin
        result = 32'd0;                              // x + (-x) = +0
    end else if (exp_r <= 10'sd0) begin
        result = {s1_sign, 31'd0};                   // FTZ
    end else if (exp_r >= 10'sd255) begin
        result = {s1_sign, 8'hff, 23'd0};            // overflow
    end else begin
        result = {s1_sign, exp_r[7:0], frac_r[22:0]};
    end
end

reg    s2_vld;
reg    [31:0] s2_result;

always @ (posedge aclk) begin
    if (aclken == 1'b1) begin
        s2_vld <= s1_vld;
        s2_result <= result;
    end
end

assign m_axis_result_tvalid = s2_vld;
assign m_axis_result_tdata = s2_result;

endmodule // ufunc_f32_faddfsub_32ns_32ns_32_4_full_dsp_1_ip
