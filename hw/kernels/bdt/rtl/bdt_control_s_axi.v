// ==============================================================
// codesign: hand-written stand-in for the Vitis HLS AXI4-Lite slave
// (<top>_control_s_axi.v) of kernel bdt, ap_ctrl_hs on s_axilite.
// ==============================================================
// control
// 0x00 : Control signals
//        bit 0  - ap_start (Read/Write/COH)
//        bit 1  - ap_done (Read/COR)
//        bit 2  - ap_idle (Read)
//        bit 3  - ap_ready (Read/COR)
//        bit 7  - auto_restart (Read/Write)
//        bit 9  - interrupt (Read)
//        others - reserved
// 0x04 : Global Interrupt Enable Register
//        bit 0  - Global Interrupt Enable (Read/Write)
//        others - reserved
// 0x08 : IP Interrupt Enable Register (Read/Write)
//        bit 0 - enable ap_done interrupt (Read/Write)
//        bit 1 - enable ap_ready interrupt (Read/Write)
//        others - reserved
// 0x0c : IP Interrupt Status Register (Read/TOW)
//        bit 0 - ap_done (Read/TOW)
//        bit 1 - ap_ready (Read/TOW)
//        others - reserved
// 0x10 : Data signal of table
//        bit 31~0 - table[31:0] (Read/Write)
// 0x14 : Data signal of table
//        bit 31~0 - table[63:32] (Read/Write)
// 0x18 : reserved
// 0x1c : Data signal of features
//        bit 31~0 - features[31:0] (Read/Write)
// 0x20 : Data signal of features
//        bit 31~0 - features[63:32] (Read/Write)
// 0x24 : reserved
// 0x28 : Data signal of scores
//        bit 31~0 - scores[31:0] (Read/Write)
// 0x2c : Data signal of scores
//        bit 31~0 - scores[63:32] (Read/Write)
// 0x30 : reserved
// 0x34 : Data signal of n
//        bit 31~0 - n[31:0] (Read/Write)
// 0x38 : reserved
// (SC = Self Clear, COR = Clear on Read, TOW = Toggle on Write, COH = Clear on Handshake)

`timescale 1 ns / 1 ps

module bdt_control_s_axi (
        ACLK,
        ARESET,
        ACLK_EN,
        AWADDR,
        AWVALID,
        AWREADY,
        WDATA,
        WSTRB,
        WVALID,
        WREADY,
        BRESP,
        BVALID,
        BREADY,
        ARADDR,
        ARVALID,
        ARREADY,
        RDATA,
        RRESP,
        RVALID,
        RREADY,
        interrupt,
        table_r,
        features,
        scores,
        n,
        ap_start,
        ap_done,
        ap_ready,
        ap_idle
);

parameter    C_S_AXI_ADDR_WIDTH = 6;
parameter    C_S_AXI_DATA_WIDTH = 32;

input   ACLK;
input   ARESET;
input   ACLK_EN;
input  [C_S_AXI_ADDR_WIDTH - 1:0] AWADDR;
input   AWVALID;
output   AWREADY;
input  [C_S_AXI_DATA_WIDTH - 1:0] WDATA;
input  [C_S_AXI_DATA_WIDTH/8 - 1:0] WSTRB;
input   WVALID;
output   WREADY;
output  [1:0] BRESP;
output   BVALID;
input   BREADY;
input  [C_S_AXI_ADDR_WIDTH - 1:0] ARADDR;
input   ARVALID;
output   ARREADY;
output  [C_S_AXI_DATA_WIDTH - 1:0] RDATA;
output  [1:0] RRESP;
output   RVALID;
input   RREADY;
output   interrupt;
output  [63:0] table_r;
output  [63:0] features;
output  [63:0] scores;
output  [31:0] n;
output   ap_start;
input   ap_done;
input   ap_ready;
input   ap_idle;

//------------------------Parameter----------------------
localparam
    ADDR_AP_CTRL         = 6'h00,
    ADDR_GIE             = 6'h04,
    ADDR_IER             = 6'h08,
    ADDR_ISR             = 6'h0c,
    ADDR_TABLE_DATA_0    = 6'h10,
    ADDR_TABLE_DATA_1    = 6'h14,
    ADDR_TABLE_CTRL      = 6'h18,
    ADDR_FEATURES_DATA_0 = 6'h1c,
    ADDR_FEATURES_DATA_1 = 6'h20,
    ADDR_FEATURES_CTRL   = 6'h24,
    ADDR_SCORES_DATA_0   = 6'h28,
    ADDR_SCORES_DATA_1   = 6'h2c,
    ADDR_SCORES_CTRL     = 6'h30,
    ADDR_N_DATA_0        = 6'h34,
    ADDR_N_CTRL          = 6'h38,
    WRIDLE         = 2'd0,
    WRDATA         = 2'd1,
    WRRESP         = 2'd2,
    WRRESET        = 2'd3,
    RDIDLE         = 2'd0,
    RDDATA         = 2'd1,
    RDRESET        = 2'd2,
    ADDR_BITS      = 6;

//------------------------Local signal-------------------
reg    [1:0] wstate;
reg    [1:0] wnext;
reg    [ADDR_BITS - 1:0] waddr;
wire   [31:0] wmask;
wire   aw_hs;
wire   w_hs;
reg    [1:0] rstate;
reg    [1:0] rnext;
reg    [31:0] rdata;
wire   ar_hs;
wire   [ADDR_BITS - 1:0] raddr;
// internal registers
reg    int_ap_idle;
reg    int_ap_ready;
wire   task_ap_ready;
reg    int_task_ap_done;
wire   task_ap_done;
reg    int_ap_start;
reg    int_interrupt;
reg    int_auto_restart;
reg    auto_restart_status;
wire   auto_restart_done;
reg    int_gie;
reg    [1:0] int_ier;
reg    [1:0] int_isr;
reg    [63:0] int_table;
reg    [63:0] int_features;
reg    [63:0] int_scores;
reg    [31:0] int_n;

//------------------------AXI write fsm------------------
assign AWREADY = (wstate == WRIDLE);
assign WREADY  = (wstate == WRDATA);
assign BRESP   = 2'b00;  // OKAY
assign BVALID  = (wstate == WRRESP);
assign wmask   = {{8{WSTRB[3]}}, {8{WSTRB[2]}}, {8{WSTRB[1]}}, {8{WSTRB[0]}}};
assign aw_hs   = AWVALID & AWREADY;
assign w_hs    = WVALID & WREADY;

always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        wstate <= WRRESET;
    end else if (ACLK_EN == 1'b1) begin
        wstate <= wnext;
    end
end

always @ (*) begin
    case (wstate)
        WRIDLE: begin
            if (AWVALID == 1'b1) wnext = WRDATA;
            else wnext = WRIDLE;
        end
        WRDATA: begin
            if (WVALID == 1'b1) wnext = WRRESP;
            else wnext = WRDATA;
        end
        WRRESP: begin
            if (BREADY == 1'b1) wnext = WRIDLE;
            else wnext = WRRESP;
        end
        default: begin
            wnext = WRIDLE;
        end
    endcase
end

always @ (posedge ACLK) begin
    if (ACLK_EN == 1'b1) begin
        if (aw_hs == 1'b1) begin
            waddr <= {AWADDR[ADDR_BITS - 1:2], 2'b00};
        end
    end
end

//------------------------AXI read fsm-------------------
assign ARREADY = (rstate == RDIDLE);
assign RDATA   = rdata;
assign RRESP   = 2'b00;  // OKAY
assign RVALID  = (rstate == RDDATA);
assign ar_hs   = ARVALID & ARREADY;
assign raddr   = {ARADDR[ADDR_BITS - 1:2], 2'b00};

always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        rstate <= RDRESET;
    end else if (ACLK_EN == 1'b1) begin
        rstate <= rnext;
    end
end

always @ (*) begin
    case (rstate)
        RDIDLE: begin
            if (ARVALID == 1'b1) rnext = RDDATA;
            else rnext = RDIDLE;
        end
        RDDATA: begin
            if ((RREADY == 1'b1) & (RVALID == 1'b1)) rnext = RDIDLE;
            else rnext = RDDATA;
        end
        default: begin
            rnext = RDIDLE;
        end
    endcase
end

// rdata: registered on the AR handshake, held until RREADY
always @ (posedge ACLK) begin
    if (ACLK_EN == 1'b1) begin
        if (ar_hs == 1'b1) begin
            case (raddr)
                ADDR_AP_CTRL: begin
                    rdata <= {22'b0, int_interrupt, 1'b0, int_auto_restart, 3'b0,
                              int_ap_ready, int_ap_idle, int_task_ap_done, int_ap_start};
                end
                ADDR_GIE: begin
                    rdata <= {31'b0, int_gie};
                end
                ADDR_IER: begin
                    rdata <= {30'b0, int_ier};
                end
                ADDR_ISR: begin
                    rdata <= {30'b0, int_isr};
                end
                ADDR_TABLE_DATA_0: begin
                    rdata <= int_table[31:0];
                end
                ADDR_TABLE_DATA_1: begin
                    rdata <= int_table[63:32];
                end
                ADDR_FEATURES_DATA_0: begin
                    rdata <= int_features[31:0];
                end
                ADDR_FEATURES_DATA_1: begin
                    rdata <= int_features[63:32];
                end
                ADDR_SCORES_DATA_0: begin
                    rdata <= int_scores[31:0];
                end
                ADDR_SCORES_DATA_1: begin
                    rdata <= int_scores[63:32];
                end
                ADDR_N_DATA_0: begin
                    rdata <= int_n;
                end
                default: begin
                    rdata <= 32'b0;
                end
            endcase
        end
    end
end

//------------------------Register logic-----------------
assign interrupt         = int_interrupt;
assign ap_start          = int_ap_start;
assign table_r           = int_table;
assign features          = int_features;
assign scores            = int_scores;
assign n                 = int_n;
// with auto_restart the done bit is only raised once the kernel falls idle
assign task_ap_done      = ((ap_done == 1'b1) & (auto_restart_status == 1'b0)) | auto_restart_done;
assign task_ap_ready     = (ap_ready == 1'b1) & (int_auto_restart == 1'b0);
assign auto_restart_done = (auto_restart_status == 1'b1) & (ap_idle == 1'b1) & (int_ap_idle == 1'b0);

// int_interrupt (registered, as exported since 2022.1)
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_interrupt <= 1'b0;
    end else if (ACLK_EN == 1'b1) begin
        int_interrupt <= int_gie & (|int_isr);
    end
end

// int_ap_start: set by software, cleared by ap_ready unless auto_restart
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_ap_start <= 1'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((w_hs == 1'b1) & (waddr == ADDR_AP_CTRL) & (WSTRB[0] == 1'b1) & (WDATA[0] == 1'b1)) begin
            int_ap_start <= 1'b1;
        end else if (ap_ready == 1'b1) begin
            int_ap_start <= int_auto_restart;
        end
    end
end

// int_task_ap_done: latched, clear on read of AP_CTRL
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_task_ap_done <= 1'b0;
    end else if (ACLK_EN == 1'b1) begin
        if (task_ap_done == 1'b1) begin
            int_task_ap_done <= 1'b1;
        end else if ((ar_hs == 1'b1) & (raddr == ADDR_AP_CTRL)) begin
            int_task_ap_done <= 1'b0;
        end
    end
end

// int_ap_idle: follows the core
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_ap_idle <= 1'b0;
    end else if (ACLK_EN == 1'b1) begin
        int_ap_idle <= ap_idle;
    end
end

// int_ap_ready: latched, clear on read of AP_CTRL
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_ap_ready <= 1'b0;
    end else if (ACLK_EN == 1'b1) begin
        if (task_ap_ready == 1'b1) begin
            int_ap_ready <= 1'b1;
        end else if ((ar_hs == 1'b1) & (raddr == ADDR_AP_CTRL)) begin
            int_ap_ready <= 1'b0;
        end
    end
end

// int_auto_restart
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_auto_restart <= 1'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((w_hs == 1'b1) & (waddr == ADDR_AP_CTRL) & (WSTRB[0] == 1'b1)) begin
            int_auto_restart <= WDATA[7];
        end
    end
end

// auto_restart_status
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        auto_restart_status <= 1'b0;
    end else if (ACLK_EN == 1'b1) begin
        if (int_auto_restart == 1'b1) begin
            auto_restart_status <= 1'b1;
        end else if (ap_idle == 1'b1) begin
            auto_restart_status <= 1'b0;
        end
    end
end

// int_gie
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_gie <= 1'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((w_hs == 1'b1) & (waddr == ADDR_GIE) & (WSTRB[0] == 1'b1)) begin
            int_gie <= WDATA[0];
        end
    end
end

// int_ier
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_ier <= 2'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((w_hs == 1'b1) & (waddr == ADDR_IER) & (WSTRB[0] == 1'b1)) begin
            int_ier <= WDATA[1:0];
        end
    end
end

// int_isr[0]: set by ap_done (if enabled), toggle on write
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_isr[0] <= 1'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((int_ier[0] == 1'b1) & (ap_done == 1'b1)) begin
            int_isr[0] <= 1'b1;
        end else if ((w_hs == 1'b1) & (waddr == ADDR_ISR) & (WSTRB[0] == 1'b1)) begin
            int_isr[0] <= int_isr[0] ^ WDATA[0];
        end
    end
end

// int_isr[1]: set by ap_ready (if enabled), toggle on write
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_isr[1] <= 1'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((int_ier[1] == 1'b1) & (ap_ready == 1'b1)) begin
            int_isr[1] <= 1'b1;
        end else if ((w_hs == 1'b1) & (waddr == ADDR_ISR) & (WSTRB[0] == 1'b1)) begin
            int_isr[1] <= int_isr[1] ^ WDATA[1];
        end
    end
end

// int_table[31:0]: byte-masked by WSTRB
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_table[31:0] <= 32'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((w_hs == 1'b1) & (waddr == ADDR_TABLE_DATA_0)) begin
            int_table[31:0] <= (WDATA & wmask) | (int_table[31:0] & ~wmask);
        end
    end
end

// int_table[63:32]: byte-masked by WSTRB
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_table[63:32] <= 32'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((w_hs == 1'b1) & (waddr == ADDR_TABLE_DATA_1)) begin
            int_table[63:32] <= (WDATA & wmask) | (int_table[63:32] & ~wmask);
        end
    end
end

// int_features[31:0]: byte-masked by WSTRB
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_features[31:0] <= 32'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((w_hs == 1'b1) & (waddr == ADDR_FEATURES_DATA_0)) begin
            int_features[31:0] <= (WDATA & wmask) | (int_features[31:0] & ~wmask);
        end
    end
end

// int_features[63:32]: byte-masked by WSTRB
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_features[63:32] <= 32'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((w_hs == 1'b1) & (waddr == ADDR_FEATURES_DATA_1)) begin
            int_features[63:32] <= (WDATA & wmask) | (int_features[63:32] & ~wmask);
        end
    end
end

// int_scores[31:0]: byte-masked by WSTRB
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_scores[31:0] <= 32'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((w_hs == 1'b1) & (waddr == ADDR_SCORES_DATA_0)) begin
            int_scores[31:0] <= (WDATA & wmask) | (int_scores[31:0] & ~wmask);
        end
    end
end

// int_scores[63:32]: byte-masked by WSTRB
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_scores[63:32] <= 32'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((w_hs == 1'b1) & (waddr == ADDR_SCORES_DATA_1)) begin
            int_scores[63:32] <= (WDATA & wmask) | (int_scores[63:32] & ~wmask);
        end
    end
end

// int_n[31:0]: byte-masked by WSTRB
always @ (posedge ACLK) begin
    if (ARESET == 1'b1) begin
        int_n[31:0] <= 32'b0;
    end else if (ACLK_EN == 1'b1) begin
        if ((w_hs == 1'b1) & (waddr == ADDR_N_DATA_0)) begin
            int_n[31:0] <= (WDATA & wmask) | (int_n[31:0] & ~wmask);
        end
    end
end

endmodule // bdt_control_s_axi
