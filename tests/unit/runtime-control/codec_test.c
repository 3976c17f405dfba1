/*
 * codec_test.c -- the server-side codec alone: request decoding refuses
 * every malformed frame, response encoding bounds counts and buffers,
 * records and digests behave.
 */
#include <errno.h>
#include <string.h>

#include <rustos/runtime_control.h>

#include "tap.h"

static struct rustos_runtime_control_request
good(uint16_t op, uint16_t kind)
{
	struct rustos_runtime_control_request r;

	memset(&r, 0, sizeof(r));
	r.version = 1;
	r.op = op;
	r.target_kind = kind;
	return r;
}

int
main(void)
{
	struct rustos_runtime_control_request r, out;
	struct rustos_runtime_control_record rec[65];
	unsigned char buf[12 + 65 * 184];
	char name[100];

	r = good(1, 0);
	tap_ok(runtime_control_decode_request(&r, sizeof(r), &out) == 0 && out.op == 1,
	    "decode: snapshot request");
	r = good(2, 2);
	r.text_len = 5;
	memcpy(r.text, "shell", 5);
	r.text[100] = 'x';	/* beyond text_len */
	tap_ok(runtime_control_decode_request(&r, sizeof(r), &out) == 0 &&
	    out.text_len == 5 && out.text[100] == 0, "decode: launch request, tail zeroed");
	r = good(1, 0);
	r.version = 2;
	tap_ok(runtime_control_decode_request(&r, sizeof(r), &out) == -EPROTO, "decode: version 2 -> -EPROTO");
	r = good(6, 0);
	tap_ok(runtime_control_decode_request(&r, sizeof(r), &out) == -EPROTO, "decode: op 6 -> -EPROTO");
	r = good(0, 0);
	tap_ok(runtime_control_decode_request(&r, sizeof(r), &out) == -EPROTO, "decode: op 0 -> -EPROTO");
	r = good(1, 0);
	r.pad = 1;
	tap_ok(runtime_control_decode_request(&r, sizeof(r), &out) == -EPROTO, "decode: nonzero pad -> -EPROTO");
	r = good(3, 3);
	tap_ok(runtime_control_decode_request(&r, sizeof(r), &out) == -EPROTO, "decode: terminate kind 3 -> -EPROTO");
	r = good(2, 2);
	r.text_len = 128;
	tap_ok(runtime_control_decode_request(&r, sizeof(r), &out) == -ENAMETOOLONG, "decode: text_len 128 -> -ENAMETOOLONG");
	r = good(2, 2);
	r.text_len = 0xffffffffu;
	tap_ok(runtime_control_decode_request(&r, sizeof(r), &out) == -ENAMETOOLONG, "decode: huge text_len -> -ENAMETOOLONG");
	r = good(5, 0);
	r.wait_ms = 2001;
	tap_ok(runtime_control_decode_request(&r, sizeof(r), &out) == -EPROTO, "decode: watch wait_ms 2001 -> -EPROTO");
	r = good(1, 0);
	tap_ok(runtime_control_decode_request(&r, sizeof(r) - 1, &out) == -EPROTO, "decode: 151-byte frame -> -EPROTO");
	r = good(3, 1);
	r.text_len = 3;
	tap_ok(runtime_control_decode_request(&r, sizeof(r), &out) == -EPROTO, "decode: text on terminate -> -EPROTO");

	memset(rec, 0, sizeof(rec));
	tap_ok(runtime_control_encode_response(buf, sizeof(buf), 1, 0, rec, 65) == -EOVERFLOW,
	    "encode: 65 records -> -EOVERFLOW");
	tap_ok(runtime_control_encode_response(buf, 12 + 184, 1, 0, rec, 2) == -ENOBUFS,
	    "encode: buffer too small -> -ENOBUFS");
	tap_ok(runtime_control_encode_response(buf, sizeof(buf), 3, 0, rec, 1) == -EINVAL,
	    "encode: records on terminate -> -EINVAL");
	tap_ok(runtime_control_encode_response(buf, sizeof(buf), 1, 0, rec, 2) == 12 + 2 * 184,
	    "encode: 2 records -> 380 bytes");

	memset(name, 'n', sizeof(name));
	name[48] = '\0';
	tap_ok(runtime_control_record_fill(&rec[0], 1, 1, 1, name, "x", "/x") == -ENAMETOOLONG,
	    "record_fill: 48-byte desktop id -> -ENAMETOOLONG");
	name[47] = '\0';
	tap_ok(runtime_control_record_fill(&rec[0], 1, 1, 1, name, "x", "/x") == 0 &&
	    rec[0].desktop_file_id[47] == '\0', "record_fill: 47-byte desktop id fits NUL-padded");
	tap_ok(runtime_control_digest(rec, 0) == 0xcbf29ce484222325ULL,
	    "digest of no records is the FNV-1a 64 offset basis");
	{
		uint64_t a = runtime_control_digest(rec, 1);
		rec[0].pid = 2;
		tap_ok(a != runtime_control_digest(rec, 1), "digest changes when a record changes");
	}
	{
		/*
		 * Random frames (fixed seed, so a failure reproduces): decoding
		 * never accepts anything that breaks the documented invariants.
		 */
		unsigned long x = 12345;
		int i, j, accepted = 0, sound = 1;

		for (i = 0; i < 20000; i++) {
			unsigned char *b = (unsigned char *)&r;

			for (j = 0; j < (int)sizeof(r); j++) {
				x = x * 6364136223846793005UL + 1442695040888963407UL;
				b[j] = (unsigned char)(x >> 56);
			}
			/* Bias towards plausible headers so deeper checks run. */
			if (i % 2 == 0) {
				r.version = 1;
				r.op = (uint16_t)(r.op % 7);
				r.target_kind = (uint16_t)(r.target_kind % 4);
				r.pad = i % 4 == 0 ? 0 : r.pad;
				r.text_len %= 160;
				r.wait_ms = i % 8 == 0 ? 0 : r.wait_ms;
			}
			if (runtime_control_decode_request(&r, sizeof(r), &out) == 0) {
				accepted++;
				if (out.version != 1 || out.op < 1 || out.op > 5 ||
				    out.text_len >= 128 || out.pad != 0)
					sound = 0;
			}
		}
		tap_ok(sound, "20000 random frames: every accepted frame is valid");
		printf("# accepted %d\n", accepted);
	}
	return tap_done();
}
