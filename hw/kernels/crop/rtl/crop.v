// ==============================================================
// codesign: hand-written RTL with the interface Vitis HLS exports for
//   void crop(hls::stream<ap_axis<32,0,0,0>>& in,
//             hls::stream<ap_axis<32,0,0,0>>& out, int width, int height);
//   axis in, out (renamed in_r, out_r); s_axilite width (0x10), height
//   (0x18) and return, bundle control (ap_ctrl_hs, interrupt).
// (see ../hls/crop.cpp).
//
// Function: NumPy's x[1:-1, 1:-1] on a width x height grid of 32-bit words
// read row-major from in_r (exactly width*height beats; TKEEP/TSTRB/TLAST of
// in_r are ignored): the (height-2) x (width-2) interior words, unchanged,
// row-major on out_r, TLAST on the last one, TKEEP/TSTRB all ones.
//
// Arguments (read as signed 32-bit `int`, sampled at ap_start): unless
// 3 <= width <= MAX_WIDTH and height >= 3 (stencil5's range, so that both
// branches of a Jacobi convergence graph accept the same grids), the call
// reads nothing, writes nothing and raises ap_done in the cycle after the
// one that sees ap_start.
//
// Pipeline (II=1 across row ends, the whole pipeline stalls while the output
// is blocked):
//   stage 0: accept in[y][x]; decide whether it is interior and the last
//            interior word
//   stage 1: result register -> output register slice
// ==============================================================

`timescale 1 ns / 1 ps

(* CORE_GENERATION_INFO="crop_crop,hls_ip_codesign,{HLS_INPUT_TYPE=cxx,HLS_SYN_LAT=-1,HLS_SYN_TPT=none}" *)

module crop (
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

parameter    ap_ST_fsm_state1 = 3'd1;   // idle, waiting for ap_start
parameter    ap_ST_fsm_pp0 = 3'd2;      // pipelined loop over width*height, II=1
parameter    ap_ST_fsm_state3 = 3'd4;   // drain the pipeline before ap_done
parameter    C_S_AXI_CONTROL_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_ADDR_WIDTH = 5;
parameter    C_S_AXI_DATA_WIDTH = 32;
parameter    C_S_AXI_CONTROL_WSTRB_WIDTH = (32 / 8);
parameter    C_S_AXI_WSTRB_WIDTH = (32 / 8);

input   ap_clk;
input   ap_rst_n;
input  [31:0] in_r_TDATA;
input   in_r_TVALID;
output   in_r_TREADY;
input  [3:0] in_r_TKEEP;
input  [3:0] in_r_TSTRB;
input  [0:0] in_r_TLAST;
output  [31:0] out_r_TDATA;
output   out_r_TVALID;
input   out_r_TREADY;
output  [3:0] out_r_TKEEP;
output  [3:0] out_r_TSTRB;
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

// widest grid (CROP_MAX_WIDTH in the C++) and the column counter's bits
localparam   MAX_WIDTH = 1024;
localparam   ADDR_W = 10;
// stream payload through a slice: {last, strb, keep, data}
localparam   PW = 32 + 4 + 4 + 1;

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
reg    [ADDR_W - 1:0] width_m1_reg;   // width - 1: the last column
reg    [ADDR_W - 1:0] width_m2_reg;   // width - 2: the last interior column
reg    [31:0] height_m1_reg;          // height - 1: the last row
reg    [31:0] height_m2_reg;          // height - 2: the last interior row

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
wire   interior;            // ... and it is inside x[1:-1, 1:-1]
wire   interior_last;       // ... and it is the last interior one
reg    [ADDR_W - 1:0] x_reg;          // column of the next element
reg    [31:0] y_reg;                  // row of the next element
// stage 1: result register
reg    [31:0] result_reg;
reg    result_last_reg;
reg    result_vld_reg;

//------------------------Instantiation------------------
crop_control_s_axi #(
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

crop_regslice_both #(
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

crop_regslice_both #(
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
    if ((ap_CS_fsm_state3 == 1'b1) & (result_vld_reg == 1'b0)
            & (regslice_both_out_r_U_apdone_blk == 1'b0)) begin
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
        width_m2_reg <= width[ADDR_W - 1:0] - 10'd2;
        height_m1_reg <= height - 1'b1;
        height_m2_reg <= height - 32'd2;
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
assign ap_block_pp0  = (result_vld_reg == 1'b1) & (out_r_TREADY_int_regslice == 1'b0);
assign ap_adv        = ~ap_block_pp0;
assign loop_read     = (ap_CS_fsm_pp0 == 1'b1) & (in_r_TVALID_int_regslice == 1'b1) & (ap_adv == 1'b1);
assign loop_last     = (x_reg == width_m1_reg) & (y_reg == height_m1_reg);
// neither the first nor the last row or column
assign interior      = (y_reg != 32'd0) & (y_reg != height_m1_reg)
                     & (x_reg != {ADDR_W{1'b0}}) & (x_reg != width_m1_reg);
assign interior_last = (x_reg == width_m2_reg) & (y_reg == height_m2_reg);
assign in_r_TREADY_int_regslice = loop_read;

// stage 1: result register, handed to the output slice
always @ (posedge ap_clk) begin
    if (ap_rst_n_inv == 1'b1) begin
        result_vld_reg <= 1'b0;
    end else if (ap_adv == 1'b1) begin
        result_vld_reg <= loop_read & interior;
    end
end

always @ (posedge ap_clk) begin
    if ((loop_read == 1'b1) & (interior == 1'b1)) begin
        result_reg <= in_r_int_regslice[31:0];
        result_last_reg <= interior_last;
    end
end

assign out_r_TVALID_int_regslice = result_vld_reg;
assign out_r_int_regslice = {result_last_reg, 4'hf, 4'hf, result_reg};

assign out_r_TDATA = out_r_regslice_data[31:0];
assign out_r_TKEEP = out_r_regslice_data[35:32];
assign out_r_TSTRB = out_r_regslice_data[39:36];
assign out_r_TLAST = out_r_regslice_data[PW - 1];

endmodule // crop
