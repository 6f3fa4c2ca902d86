# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Text helpers in C, each with the same contract as its Python twin: ``alnum_utf8`` (twin
``clean.alnum_utf8_py``; ``tests/test_clean.py`` checks both over every code point) and ``utf8_valid``
(twin ``encoding.utf8_valid_py``, Python's strict decoder; checked in ``tests/test_encoding.py``).
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_FromStringAndSize, PyBytes_GET_SIZE
from cpython.unicode cimport PyUnicode_READ, PyUnicode_GET_LENGTH, PyUnicode_KIND, PyUnicode_DATA
from libc.stdint cimport uint64_t
from libc.stdlib cimport free, malloc
from libc.string cimport memcpy

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


def utf8_valid(bytes data) -> bool:
    """Whether ``data.decode("utf-8")`` would succeed (well-formed UTF-8 as in Unicode's table 3-7:
    no overlong forms, surrogates or code points above U+10FFFF), without making the text."""
    cdef const unsigned char* s = <const unsigned char*>PyBytes_AS_STRING(data)
    cdef Py_ssize_t n = PyBytes_GET_SIZE(data), i = 0
    cdef unsigned char c, c1
    cdef uint64_t word
    while i < n:
        # Markup is mostly ASCII, even on Chinese pages: eight bytes at a time while it lasts.
        while i + 8 <= n:
            memcpy(&word, s + i, 8)
            if word & 0x8080808080808080ULL:
                break
            i += 8
        if i >= n:
            break
        c = s[i]
        if c < 0x80:
            i += 1
        elif 0xC2 <= c <= 0xDF:
            if i + 1 >= n or (s[i + 1] & 0xC0) != 0x80:
                return False
            i += 2
        elif 0xE0 <= c <= 0xEF:
            if i + 2 >= n:
                return False
            c1 = s[i + 1]
            if (c == 0xE0 and not 0xA0 <= c1 <= 0xBF) or (c == 0xED and not 0x80 <= c1 <= 0x9F):
                return False
            if (c1 & 0xC0) != 0x80 or (s[i + 2] & 0xC0) != 0x80:
                return False
            i += 3
        elif 0xF0 <= c <= 0xF4:
            if i + 3 >= n:
                return False
            c1 = s[i + 1]
            if (c == 0xF0 and not 0x90 <= c1 <= 0xBF) or (c == 0xF4 and not 0x80 <= c1 <= 0x8F):
                return False
            if (c1 & 0xC0) != 0x80 or (s[i + 2] & 0xC0) != 0x80 or (s[i + 3] & 0xC0) != 0x80:
                return False
            i += 4
        else:
            return False
    return True
