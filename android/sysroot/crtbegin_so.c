/* What the NDK's crtbegin_so.o gives every shared library, for the core's .so linked here
 * without the NDK (scripts/android-core.sh). Written after bionic's
 * libc/arch-common/bionic/crtbegin_so.c, atexit.h and pthread_atfork.h: the library's own
 * handle, so that what it registers with bionic (thread-local destructors, atexit and fork
 * handlers) belongs to it and is run or dropped when it is unloaded. */

extern void __cxa_finalize(void *dso);
extern int __cxa_atexit(void (*fn)(void *), void *arg, void *dso);
extern int __register_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void),
                             void *dso);

/* This library's handle: hidden, one per library. Rust's thread-local destructors pass it to
 * __cxa_thread_atexit_impl (std declares it weak, so without it they would pass null). */
__attribute__((visibility("hidden"))) void *__dso_handle = &__dso_handle;

/* Runs, when the library is unloaded, what was registered against its handle. */
__attribute__((destructor)) static void huijiao_on_unload(void) {
  __cxa_finalize(&__dso_handle);
}

/* atexit and pthread_atfork as bionic expects them in each library: against its handle. */
__attribute__((visibility("hidden"))) int atexit(void (*fn)(void)) {
  return __cxa_atexit((void (*)(void *))fn, 0, &__dso_handle);
}

__attribute__((visibility("hidden"))) int pthread_atfork(void (*prepare)(void),
                                                         void (*parent)(void),
                                                         void (*child)(void)) {
  return __register_atfork(prepare, parent, child, &__dso_handle);
}

/* The note that marks an ELF file as built for Android and for which API level (what the NDK's
 * crtbrand.S writes; tools such as the platform's linker checks and `readelf -n` read it). */
struct android_note {
  int namesz, descsz, type;
  char name[8];
  int api;
};
__attribute__((section(".note.android.ident"), aligned(4), used)) static const struct android_note
    huijiao_android_ident = {8, 4, 1, "Android", HUIJIAO_ANDROID_API};
