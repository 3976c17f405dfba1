/*
 * rustos/inputd.h -- inputd: read authorisation of Linux input reads
 * (InputdIpcRequest/Response) and the kernel input queue counters of
 * SYS_RUSTOS_INPUT_STATS_BROKER.
 */
#ifndef RUSTOS_INPUTD_H
#define RUSTOS_INPUTD_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define INPUTD_IPC_ABI_VERSION		1
#define INPUTD_IPC_OP_AUTHORIZE_READ	1
#define INPUTD_IPC_OP_STATS		2

#define INPUTD_ACCESS_DENIED		0
#define INPUTD_ACCESS_EVDEV		1
#define INPUTD_ACCESS_CONSOLE		2

/* Request (32 bytes). */
struct rustos_inputd_ipc_request {
	uint16_t	version;
	uint16_t	op;
	uint32_t	access_class;	/* INPUTD_ACCESS_* asked for */
	uint64_t	pid;
	uint64_t	device_id;
	uint64_t	requested_len;
};
RUSTOS_ABI_SIZE(inputd_ipc_request, 32);
RUSTOS_ABI_OFFSET(inputd_ipc_request, version, 0);
RUSTOS_ABI_OFFSET(inputd_ipc_request, op, 2);
RUSTOS_ABI_OFFSET(inputd_ipc_request, access_class, 4);
RUSTOS_ABI_OFFSET(inputd_ipc_request, pid, 8);
RUSTOS_ABI_OFFSET(inputd_ipc_request, device_id, 16);
RUSTOS_ABI_OFFSET(inputd_ipc_request, requested_len, 24);

/* Response (24 bytes). */
struct rustos_inputd_ipc_response {
	uint16_t	version;
	uint16_t	op;
	int32_t		status;
	uint32_t	access_class;	/* granted */
	uint32_t	reserved0;
	uint64_t	max_read_len;
};
RUSTOS_ABI_SIZE(inputd_ipc_response, 24);
RUSTOS_ABI_OFFSET(inputd_ipc_response, version, 0);
RUSTOS_ABI_OFFSET(inputd_ipc_response, op, 2);
RUSTOS_ABI_OFFSET(inputd_ipc_response, status, 4);
RUSTOS_ABI_OFFSET(inputd_ipc_response, access_class, 8);
RUSTOS_ABI_OFFSET(inputd_ipc_response, reserved0, 12);
RUSTOS_ABI_OFFSET(inputd_ipc_response, max_read_len, 16);

/* SYS_RUSTOS_INPUT_STATS_BROKER result (48 bytes). */
struct rustos_input_stats {
	uint64_t	events_enqueued;
	uint64_t	events_dropped;
	uint64_t	events_read;
	uint64_t	queue_depth;
	uint64_t	queue_capacity;
	uint64_t	devices;
};
RUSTOS_ABI_SIZE(input_stats, 48);
RUSTOS_ABI_OFFSET(input_stats, events_enqueued, 0);
RUSTOS_ABI_OFFSET(input_stats, events_dropped, 8);
RUSTOS_ABI_OFFSET(input_stats, events_read, 16);
RUSTOS_ABI_OFFSET(input_stats, queue_depth, 24);
RUSTOS_ABI_OFFSET(input_stats, queue_capacity, 32);
RUSTOS_ABI_OFFSET(input_stats, devices, 40);

#endif /* RUSTOS_INPUTD_H */
