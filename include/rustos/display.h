/*
 * rustos/display.h -- display device ABI: DisplayInfo, surface structs and
 * the ioctl numbers (Linux asm-generic encoding, type 'D').  uiserver and the
 * display drivers take every number from here; nobody re-encodes an ioctl.
 */
#ifndef RUSTOS_DISPLAY_H
#define RUSTOS_DISPLAY_H

#include <stdint.h>

#include <rustos/abi_assert.h>

/* asm-generic ioctl encoding: dir:2 size:14 type:8 nr:8 (high to low). */
#define RUSTOS_IOC_NONE		0U
#define RUSTOS_IOC_WRITE	1U
#define RUSTOS_IOC_READ		2U
#define RUSTOS_IOC(dir, type, nr, size) \
	((uint32_t)(((uint32_t)(dir) << 30) | ((uint32_t)(size) << 16) | \
	    ((uint32_t)(type) << 8) | (uint32_t)(nr)))
#define RUSTOS_IO(type, nr)		RUSTOS_IOC(RUSTOS_IOC_NONE, (type), (nr), 0)
#define RUSTOS_IOR(type, nr, size)	RUSTOS_IOC(RUSTOS_IOC_READ, (type), (nr), (size))
#define RUSTOS_IOW(type, nr, size)	RUSTOS_IOC(RUSTOS_IOC_WRITE, (type), (nr), (size))
#define RUSTOS_IOWR(type, nr, size) \
	RUSTOS_IOC(RUSTOS_IOC_READ | RUSTOS_IOC_WRITE, (type), (nr), (size))
#define RUSTOS_IOC_DIR(cmd)	(((uint32_t)(cmd) >> 30) & 3U)
#define RUSTOS_IOC_SIZE(cmd)	(((uint32_t)(cmd) >> 16) & 0x3fffU)
#define RUSTOS_IOC_TYPE(cmd)	(((uint32_t)(cmd) >> 8) & 0xffU)
#define RUSTOS_IOC_NR(cmd)	((uint32_t)(cmd) & 0xffU)

#define DISPLAY_INFO_FLAG_BOOT_FRAMEBUFFER	(1u << 0)
#define DISPLAY_INFO_FLAG_PRIMARY_PROVIDER	(1u << 1)

#define DISPLAY_PIXEL_FORMAT_BGRA8888		1

/* DisplayInfo (32 bytes). */
struct rustos_display_info {
	uint32_t	width;
	uint32_t	height;
	uint32_t	stride_bytes;
	uint32_t	bytes_per_pixel;
	uint32_t	pixel_format;	/* DISPLAY_PIXEL_FORMAT_* */
	uint32_t	flags;		/* DISPLAY_INFO_FLAG_* */
	uint64_t	generation;	/* bumps on mode or provider change */
};
RUSTOS_ABI_SIZE(display_info, 32);
RUSTOS_ABI_OFFSET(display_info, width, 0);
RUSTOS_ABI_OFFSET(display_info, height, 4);
RUSTOS_ABI_OFFSET(display_info, stride_bytes, 8);
RUSTOS_ABI_OFFSET(display_info, bytes_per_pixel, 12);
RUSTOS_ABI_OFFSET(display_info, pixel_format, 16);
RUSTOS_ABI_OFFSET(display_info, flags, 20);
RUSTOS_ABI_OFFSET(display_info, generation, 24);

/*
 * CREATE_SURFACE (48 bytes).  In: width, height, pixel_format, flags.
 * Out: stride_bytes, surface_id, size_bytes, map_addr (shared mapping in
 * the caller).  Requires a DISPLAY_INFO_FLAG_PRIMARY_PROVIDER display.
 */
struct rustos_display_create_surface {
	uint32_t	width;
	uint32_t	height;
	uint32_t	stride_bytes;
	uint32_t	pixel_format;
	uint32_t	flags;
	uint32_t	surface_id;
	uint64_t	size_bytes;
	uint64_t	map_addr;
	uint64_t	reserved0;
};
RUSTOS_ABI_SIZE(display_create_surface, 48);
RUSTOS_ABI_OFFSET(display_create_surface, width, 0);
RUSTOS_ABI_OFFSET(display_create_surface, height, 4);
RUSTOS_ABI_OFFSET(display_create_surface, stride_bytes, 8);
RUSTOS_ABI_OFFSET(display_create_surface, pixel_format, 12);
RUSTOS_ABI_OFFSET(display_create_surface, flags, 16);
RUSTOS_ABI_OFFSET(display_create_surface, surface_id, 20);
RUSTOS_ABI_OFFSET(display_create_surface, size_bytes, 24);
RUSTOS_ABI_OFFSET(display_create_surface, map_addr, 32);
RUSTOS_ABI_OFFSET(display_create_surface, reserved0, 40);

/* PRESENT (8 bytes): whole surface. */
struct rustos_display_present {
	uint32_t	surface_id;
	uint32_t	flags;
};
RUSTOS_ABI_SIZE(display_present, 8);
RUSTOS_ABI_OFFSET(display_present, surface_id, 0);
RUSTOS_ABI_OFFSET(display_present, flags, 4);

/* PRESENT_RECT (24 bytes): one dirty rectangle in surface pixels. */
struct rustos_display_present_rect {
	uint32_t	surface_id;
	uint32_t	flags;
	uint32_t	x;
	uint32_t	y;
	uint32_t	width;
	uint32_t	height;
};
RUSTOS_ABI_SIZE(display_present_rect, 24);
RUSTOS_ABI_OFFSET(display_present_rect, surface_id, 0);
RUSTOS_ABI_OFFSET(display_present_rect, flags, 4);
RUSTOS_ABI_OFFSET(display_present_rect, x, 8);
RUSTOS_ABI_OFFSET(display_present_rect, y, 12);
RUSTOS_ABI_OFFSET(display_present_rect, width, 16);
RUSTOS_ABI_OFFSET(display_present_rect, height, 20);

#define DISPLAY_IOCTL_TYPE		'D'
#define DISPLAY_IOCTL_GET_INFO \
	RUSTOS_IOR(DISPLAY_IOCTL_TYPE, 1, sizeof(struct rustos_display_info))
#define DISPLAY_IOCTL_CREATE_SURFACE \
	RUSTOS_IOWR(DISPLAY_IOCTL_TYPE, 2, sizeof(struct rustos_display_create_surface))
#define DISPLAY_IOCTL_PRESENT \
	RUSTOS_IOW(DISPLAY_IOCTL_TYPE, 3, sizeof(struct rustos_display_present))
#define DISPLAY_IOCTL_PRESENT_RECT \
	RUSTOS_IOW(DISPLAY_IOCTL_TYPE, 4, sizeof(struct rustos_display_present_rect))

#endif /* RUSTOS_DISPLAY_H */
