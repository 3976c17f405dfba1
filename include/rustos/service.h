/*
 * rustos/service.h -- framing shared by every RustOS service protocol.
 *
 * Each request a service receives over IPC starts with the request header
 * and each reply with the reply header.  A service validates version, op
 * and length before looking at anything else, answers a malformed request
 * with a negative errno in status (-EPROTO for a bad version, -EINVAL for a
 * bad length, -EOPNOTSUPP for an unknown op) and keeps serving.
 */
#ifndef RUSTOS_SERVICE_H
#define RUSTOS_SERVICE_H

#include <stdint.h>

#include <rustos/abi_assert.h>

#define RUSTOS_SERVICE_PROTOCOL_VERSION	1

/* Ops every service answers; service-specific ops start at 16. */
#define RUSTOS_SERVICE_OP_PING		0	/* health check: status 0 */
#define RUSTOS_SERVICE_OP_FIRST_SPECIFIC 16

struct rustos_service_request_header {
	uint16_t	version;	/* RUSTOS_SERVICE_PROTOCOL_VERSION */
	uint16_t	op;
	uint32_t	length;		/* whole message, header included */
};
RUSTOS_ABI_SIZE(service_request_header, 8);
RUSTOS_ABI_OFFSET(service_request_header, version, 0);
RUSTOS_ABI_OFFSET(service_request_header, op, 2);
RUSTOS_ABI_OFFSET(service_request_header, length, 4);

struct rustos_service_reply_header {
	uint16_t	version;
	uint16_t	op;		/* the request's op */
	int32_t		status;		/* 0 or a negative errno */
	uint32_t	length;		/* whole message, header included */
	uint32_t	reserved;	/* zero */
};
RUSTOS_ABI_SIZE(service_reply_header, 16);
RUSTOS_ABI_OFFSET(service_reply_header, version, 0);
RUSTOS_ABI_OFFSET(service_reply_header, op, 2);
RUSTOS_ABI_OFFSET(service_reply_header, status, 4);
RUSTOS_ABI_OFFSET(service_reply_header, length, 8);
RUSTOS_ABI_OFFSET(service_reply_header, reserved, 12);

#endif /* RUSTOS_SERVICE_H */
