# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Text helpers of ``newscrawl.extract.clean`` in C (same contract as their Python twins there).

``tests/test_clean.py`` checks both give identical results, over every code point.
"""

from cpython.bytes cimport PyBytes_FromStringAndSize
from cpython.unicode cimport PyUnicode_READ, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_DATA
from libc.stdlib cimport free, malloc

cdef extern from "Python.h":
    bint Py_UNICODE_ISALNUM(Py_UCS4 ch) nogil


def alnum_utf8(str text) -> bytes:
    """The letters and digits of ``text`` (``str.isalnum`` ones, i.e. regex ``[^\\W_]``), in order, as
    UTF-8: ``"".join(re.findall(r"[^\\W_]+", text)).encode()`` without the list of runs."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i, size = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 ch
    cdef unsigned int c  # ch as a number: Cython treats Py_UCS4 in arithmetic as a str
    # At most 4 bytes per kept character.
    cdef unsigned char* out = <unsigned char*>malloc(4 * n + 1)
    if out == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            ch = PyUnicode_READ(kind, data, i)
            c = ch
            if c < 0x80:
                # ASCII letters and digits only ("_" is \w, not kept).
                if (48 <= c <= 57) or (65 <= c <= 90) or (97 <= c <= 122):
                    out[size] = <unsigned char>c
                    size += 1
            elif Py_UNICODE_ISALNUM(ch):
                if c < 0x800:
                    out[size] = 0xC0 | (c >> 6)
                    out[size + 1] = 0x80 | (c & 0x3F)
                    size += 2
                elif c < 0x10000:
                    out[size] = 0xE0 | (c >> 12)
                    out[size + 1] = 0x80 | ((c >> 6) & 0x3F)
                    out[size + 2] = 0x80 | (c & 0x3F)
                    size += 3
                else:
                    out[size] = 0xF0 | (c >> 18)
                    out[size + 1] = 0x80 | ((c >> 12) & 0x3F)
                    out[size + 2] = 0x80 | ((c >> 6) & 0x3F)
                    out[size + 3] = 0x80 | (c & 0x3F)
                    size += 4
        return PyBytes_FromStringAndSize(<char*>out, size)
    finally:
        free(out)
