/*
 * The helper modes of the tracer (no ptrace): what skinnywhale asks of a
 * running helper container instead of exporting its whole filesystem.
 *
 *   tracer index [--root DIR] [--head N] [--exclude PATH]...   every entry
 *   tracer tar [--root DIR] [--from FILE]           a tar of the paths listed
 *   tracer serve [--root DIR]                       tars of the paths asked on stdin
 *   tracer wait [SECONDS]                           idles (a container's PID 1)
 *
 * index.c walks the tree, tarout.c writes the tar; both write to stdout.
 */
#ifndef HELPER_H
#define HELPER_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <stddef.h>
#include <stdint.h>

/* Both return the process's exit status: 0 done, 1 some paths could not be
 * read (said on stderr, the output is complete otherwise), 2 usage or a
 * failure that cut the output short. */
int helper_index(int argc, char **argv);
int helper_tar(int argc, char **argv);
/* 0 at the end of its input, 2 when reading or writing fails. */
int helper_serve(int argc, char **argv);

/* A buffered writer to a file descriptor; a write error is sticky. Framed,
 * each flush of N bytes is put after a frame header: 'D', three zero bytes,
 * N as 32 bits big-endian. */
struct out {
    int fd;
    int failed;
    int framed;
    size_t len;
    unsigned char buf[1 << 16];
};

void out_bytes(struct out *o, const void *p, size_t n);
void out_flush(struct out *o);
/* Flushes, then writes the frame that ends an answer: 'E', three zero bytes,
 * STATUS as 32 bits big-endian. */
void out_end_frame(struct out *o, unsigned status);

/* The most bytes of one path, link target or list the helper deals with;
 * beyond PATH_MAX because a deep tree is walked with relative names. */
#define HELPER_MAX_PATH (1 << 16)

#endif
