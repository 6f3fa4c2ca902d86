# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""Text helpers in C, each with the same contract as its Python twin: ``alnum_utf8`` (twin
``clean.alnum_utf8_py``; ``tests/test_clean.py`` checks both over every code point), ``hash_fold``
(twin ``clean.hash_fold_py``; checked in ``tests/test_clean.py`` over every code point and against the
NFKC path it stands in for) and ``utf8_valid`` (twin ``encoding.utf8_valid_py``, Python's strict
decoder; checked in ``tests/test_encoding.py``).
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


cdef inline Py_ssize_t _put_utf8(unsigned char* out, Py_ssize_t size, unsigned int c) noexcept nogil:
    if c < 0x80:
        out[size] = <unsigned char>c
        return size + 1
    if c < 0x800:
        out[size] = 0xC0 | (c >> 6)
        out[size + 1] = 0x80 | (c & 0x3F)
        return size + 2
    out[size] = 0xE0 | (c >> 12)
    out[size + 1] = 0x80 | ((c >> 6) & 0x3F)
    out[size + 2] = 0x80 | (c & 0x3F)
    return size + 3


def hash_fold(str text):
    """``alnum_utf8(unicodedata.normalize("NFKC", text).casefold())`` for a text made only of the
    characters of most news bodies, one character at a time; None when ``text`` holds any other.

    Those characters are ``clean.HASH_FOLD_CHARS``: ASCII and full-width ASCII (NFKC gives the ASCII
    character), Latin-1, kana, hangul syllables, CJK ideographs, and punctuation, symbols and private-use
    characters that the fold drops. None of them composes with another under NFKC, so the fold of the text
    is the folds of its characters, joined (``tests/test_clean.py`` checks both claims)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i, size = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef unsigned int c
    cdef bint keep
    # At most 3 bytes per character (nothing past U+FFFF is taken).
    cdef unsigned char* out = <unsigned char*>malloc(3 * n + 1)
    if out == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if 0xFF01 <= c <= 0xFF5E:
                c -= 0xFEE0  # full-width ASCII: NFKC gives the ASCII character
            if c < 0x80:
                if 65 <= c <= 90:
                    out[size] = <unsigned char>(c + 32)
                    size += 1
                elif (48 <= c <= 57) or (97 <= c <= 122):
                    out[size] = <unsigned char>c
                    size += 1
                continue
            if 0x4E00 <= c <= 0x9FFF or 0x3400 <= c <= 0x4DBF or 0xAC00 <= c <= 0xD7A3:
                keep = True
            elif c <= 0xFF:
                if c == 0xD7 or c == 0xF7:
                    keep = False
                elif c >= 0xE0:
                    keep = True
                elif c >= 0xC0:
                    if c == 0xDF:
                        return None  # ß: casefolds to "ss"
                    c += 32
                    keep = True
                elif (
                    c <= 0xA9 or 0xAB <= c <= 0xB1 or c == 0xB4 or 0xB6 <= c <= 0xB8 or c == 0xBB or c == 0xBF
                ):
                    keep = False
                else:
                    return None  # ª ² ³ µ ¹ º ¼ ½ ¾: NFKC makes letters or digits of them
            elif 0x3000 <= c <= 0x30FF:
                if (
                    0x3041 <= c <= 0x3096 or 0x30A1 <= c <= 0x30FA or 0x3005 <= c <= 0x3007
                    or 0x3021 <= c <= 0x3029 or 0x3031 <= c <= 0x3035 or 0x303B <= c <= 0x303C
                    or 0x309D <= c <= 0x309E or 0x30FC <= c <= 0x30FE
                ):
                    keep = True
                elif (
                    c <= 0x3004 or 0x3008 <= c <= 0x3020 or c == 0x3030 or 0x3036 <= c <= 0x3037
                    or 0x303D <= c <= 0x303F or 0x309B <= c <= 0x309C or c == 0x30A0 or c == 0x30FB
                ):
                    keep = False
                else:
                    return None
            elif (
                0x2010 <= c <= 0x205E or 0x2190 <= c <= 0x23FF or 0x2500 <= c <= 0x2775
                or 0x2794 <= c <= 0x27BF or 0xE000 <= c <= 0xF8FF or 0xFE10 <= c <= 0xFE1F
                or 0xFE30 <= c <= 0xFE6F or c == 0xFFFD
            ):
                keep = False
            elif 0x2776 <= c <= 0x2793 or 0x24EB <= c <= 0x24FF:
                keep = True  # dingbat and negative circled numbers: digits NFKC leaves as they are
            else:
                return None
            if keep:
                size = _put_utf8(out, size, c)
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
