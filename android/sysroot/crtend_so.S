/* What the NDK's crtend_so.o ends a shared library with (after bionic's
 * libc/arch-common/bionic/crtend_so.S): a zero word closing .eh_frame, the unwinder's table of
 * how to unwind each function, and a non-executable stack. */
	.section .note.GNU-stack, "", %progbits

	.section .eh_frame, "a", %progbits
	.balign 4
	.type	__FRAME_END__, %object
	.size	__FRAME_END__, 4
__FRAME_END__:
	.zero	4
