# cython: language_level=3, boundscheck=False, wraparound=False, initializedcheck=False
"""The line renderer of ``newscrawl.extract.dom`` over libxml2's tree, in C.

Same contract and output as ``dom._render_py`` (the pure-Python renderer, used when this module is not
built): the tree becomes visible lines tied to the block elements they belong to, every kept element
gets its pre-order index, subtree end and slice of lines, and elements hidden by their attributes are
skipped and collected for removal. The walk, the tag classes, the hidden checks and the text buffer are
C; Python objects are made only for what the caller keeps (lines, names) and for the elements it asks
about: ``Page.order`` and ``Page.elements`` are C tables over the nodes, and an element's proxy is made
when a line owns it or the extractor asks for it (most of a page's elements, never).
``tests/test_dom.py`` checks both renderers give identical results.
"""

# Only lxml's exported C API and libc are used: the libxml2 inside lxml's wheel exports no symbols.
from cpython.unicode cimport PyUnicode_DecodeASCII, PyUnicode_DecodeUTF8
from libc.stdlib cimport free, malloc, realloc
from libc.string cimport memcpy, strcmp, strlen

from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Document, _Element, elementFactory, import_lxml__etree

import_lxml__etree()

API_VERSION = 2
"""What ``render`` takes and gives (``dom.RENDERER_API``): 2 since ``order`` and ``elements`` are
returned (C tables) rather than filled in."""

# libxml2's spare per-node pointer (``psvi``: only XML Schema validation and libxslt's stylesheet trees
# write it, never to a parsed page) holds each kept element's pre-order index + 1, so that an element
# proxy finds its index without a dict of every proxy. (lxml's tree.pxd does not declare the field.)
cdef extern from *:
    """
    #include <libxml/tree.h>
    static inline Py_ssize_t nc_get_mark(xmlNode* node) { return (Py_ssize_t)(size_t)node->psvi; }
    static inline void nc_set_mark(xmlNode* node, Py_ssize_t mark) { node->psvi = (void*)(size_t)mark; }
    """
    Py_ssize_t nc_get_mark(tree.xmlNode* node) noexcept nogil
    void nc_set_mark(tree.xmlNode* node, Py_ssize_t mark) noexcept nogil

# Tag classes.
cdef enum:
    INLINE = 0
    BLOCK = 1
    BOXLESS = 2  # a block boundary that owns no lines: br, img, hr
    HEAD = 3
    LINK = 4

cdef enum:
    TAG_SLOTS = 256  # power of two

cdef struct Buffer:
    char* data
    Py_ssize_t length
    Py_ssize_t size


cdef int _grow(Buffer* buf, Py_ssize_t extra) except -1:
    cdef Py_ssize_t size = buf.size or 4096
    cdef char* data
    while size < buf.length + extra:
        size *= 2
    if size != buf.size:
        data = <char*>realloc(buf.data, size)
        if data == NULL:
            raise MemoryError()
        buf.data, buf.size = data, size
    return 0


cdef inline bint _ascii_space(unsigned char c) noexcept nogil:
    return c == 32 or 9 <= c <= 13


cdef bint _visible(const unsigned char* s) noexcept nogil:
    """True when ``s`` (UTF-8) holds a character other than dom._WS_CHARS."""
    cdef Py_ssize_t i = 0
    cdef unsigned char c
    while s[i]:
        c = s[i]
        if _ascii_space(c):
            i += 1
        elif c == 0xC2 and s[i + 1] == 0xA0:  # U+00A0
            i += 2
        elif c == 0xE3 and s[i + 1] == 0x80 and s[i + 2] == 0x80:  # U+3000
            i += 3
        elif c == 0xE2 and s[i + 1] == 0x80 and 0x8B <= s[i + 2] <= 0x8D:  # U+200B..U+200D
            i += 3
        elif c == 0xE2 and s[i + 1] == 0x81 and s[i + 2] == 0xA0:  # U+2060
            i += 3
        elif c == 0xEF and s[i + 1] == 0xBB and s[i + 2] == 0xBF:  # U+FEFF
            i += 3
        else:
            return True
    return False


cdef inline Py_ssize_t _ws_length(const unsigned char* s) noexcept nogil:
    """Byte length of the character at ``s`` when it is one dom._WS collapses (Python's ``\\s`` and the
    zero-width spaces), else 0. tests/test_dom.py checks this against the regex for every code point."""
    cdef unsigned char c = s[0]
    if c < 0x80:
        return 1 if (c == 32 or 9 <= c <= 13 or 0x1C <= c <= 0x1F) else 0
    if c == 0xC2:
        return 2 if (s[1] == 0x85 or s[1] == 0xA0) else 0
    if c == 0xE1:
        return 3 if (s[1] == 0x9A and s[2] == 0x80) else 0
    if c == 0xE2:
        if s[1] == 0x80:
            return 3 if (0x80 <= s[2] <= 0x8D or s[2] == 0xA8 or s[2] == 0xA9 or s[2] == 0xAF) else 0
        if s[1] == 0x81:
            return 3 if (s[2] == 0x9F or s[2] == 0xA0) else 0
        return 0
    if c == 0xE3:
        return 3 if (s[1] == 0x80 and s[2] == 0x80) else 0
    if c == 0xEF:
        return 3 if (s[1] == 0xBB and s[2] == 0xBF) else 0
    return 0


def ws_length(str char) -> int:
    """For tests: _ws_length of one character."""
    data = char.encode("utf-8", "surrogatepass")
    return _ws_length(data)


cdef Py_ssize_t _punctuation(const unsigned char* s, Py_ssize_t n) noexcept nogil:
    """len(body._PUNCT.findall(line)) for a rendered line (whose only whitespace is single spaces):
    ，。！？；、：“” anywhere, and , . ; ! ? before a space or at the end."""
    cdef Py_ssize_t i = 0, count = 0
    cdef unsigned char c
    while i < n:
        c = s[i]
        if c < 0x80:
            if (c == 44 or c == 46 or c == 59 or c == 33 or c == 63) and (i + 1 == n or s[i + 1] == 32):
                count += 1
            i += 1
        elif c == 0xEF and i + 2 < n and s[i + 1] == 0xBC and (
            s[i + 2] == 0x8C or s[i + 2] == 0x81 or s[i + 2] == 0x9F or s[i + 2] == 0x9B or s[i + 2] == 0x9A
        ):  # ，！？；：
            count += 1
            i += 3
        elif c == 0xE3 and i + 2 < n and s[i + 1] == 0x80 and (s[i + 2] == 0x82 or s[i + 2] == 0x81):  # 。、
            count += 1
            i += 3
        elif c == 0xE2 and i + 2 < n and s[i + 1] == 0x80 and (s[i + 2] == 0x9C or s[i + 2] == 0x9D):  # “”
            count += 1
            i += 3
        else:
            i += 1
    return count


cdef const unsigned char* _attr(tree.xmlNode* c_node, const char* name, bint* found, bint* simple) noexcept:
    """The value of attribute ``name`` (no namespace), as libxml2 holds it; ``simple`` is False when
    it is not one plain text node (then the caller asks lxml)."""
    cdef tree.xmlAttr* attr = c_node.properties
    cdef tree.xmlNode* child
    while attr != NULL:
        if attr.ns == NULL and strcmp(<const char*>attr.name, name) == 0:
            found[0] = True
            child = attr.children
            if child == NULL:
                return <const unsigned char*>""
            if child.next != NULL or child.type != tree.XML_TEXT_NODE or child.content == NULL:
                simple[0] = False
                return NULL
            return child.content
        attr = attr.next
    found[0] = False
    return NULL


cdef bint _ascii(const unsigned char* s) noexcept nogil:
    cdef Py_ssize_t i = 0
    while s[i]:
        if s[i] >= 0x80:
            return False
        i += 1
    return True


cdef bint _plain(const unsigned char* s) noexcept nogil:
    """ASCII without the control characters str.split() also splits on."""
    cdef Py_ssize_t i = 0
    while s[i]:
        if s[i] >= 0x80 or 0x1C <= s[i] <= 0x1F:
            return False
        i += 1
    return True


cdef bint _token_is(const unsigned char* s, Py_ssize_t n, const char* word) noexcept nogil:
    cdef Py_ssize_t i
    if <Py_ssize_t>strlen(word) != n:
        return False
    for i in range(n):
        if s[i] != <unsigned char>word[i]:
            return False
    return True


cdef bint _hiding_class(const unsigned char* s) noexcept nogil:
    """dom._HIDDEN_CLASSES among the whitespace-separated tokens of an ASCII class attribute."""
    cdef Py_ssize_t i = 0, start, n
    while s[i]:
        while s[i] and _ascii_space(s[i]):
            i += 1
        start = i
        while s[i] and not _ascii_space(s[i]):
            i += 1
        n = i - start
        if n and (
            _token_is(s + start, n, "hidden")
            or _token_is(s + start, n, "d-none")
            or _token_is(s + start, n, "is-hidden")
            or _token_is(s + start, n, "display-none")
        ):
            return True
    return False


cdef bint _display_none(const unsigned char* s) noexcept nogil:
    """dom._is_display_none for an ASCII style: "display:none" once spaces are gone, any case."""
    cdef const char* want = "display:none"
    cdef Py_ssize_t i = 0, j, k
    cdef unsigned char c
    while s[i]:
        j = i
        k = 0
        while want[k]:
            while s[j] == 32:
                j += 1
            c = s[j]
            if 65 <= c <= 90:
                c += 32
            if c != <unsigned char>want[k]:
                break
            j += 1
            k += 1
        if not want[k]:
            return True
        i += 1
    return False


cdef class _Walk:
    """The state of one render: the line being built, the stacks, the outputs."""

    cdef list lines, hidden
    cdef _Document doc
    cdef object line_class, is_hidden
    cdef frozenset block_tags, boxless
    cdef dict tag_classes
    cdef const unsigned char* tag_keys[TAG_SLOTS]
    cdef int tag_values[TAG_SLOTS]
    cdef Buffer names_buf
    cdef Buffer buf
    cdef bint buf_any, pending_space
    cdef Py_ssize_t buf_chars
    cdef Py_ssize_t buf_links
    cdef bint buf_visible
    cdef int link_depth
    cdef Py_ssize_t counter
    cdef Py_ssize_t* first  # per element (pre-order index): first line, stop line, last descendant
    cdef Py_ssize_t* stop
    cdef Py_ssize_t* last
    cdef tree.xmlNode** nodes  # per element: its node
    cdef Py_ssize_t table_size
    cdef Py_ssize_t* owners
    cdef Py_ssize_t owners_len, owners_size

    def __dealloc__(self):
        free(self.buf.data)
        free(self.names_buf.data)
        free(self.first)
        free(self.stop)
        free(self.last)
        free(self.nodes)
        free(self.owners)

    cdef int tag_class(self, tree.xmlNode* c_node) except -1:
        # libxml2 interns element names per document: the name's pointer is a cheap cache key, looked up
        # in a small open-addressing table first (a page has a few dozen distinct tags), else in a dict.
        cdef size_t slot = (<size_t>c_node.name >> 4) & (TAG_SLOTS - 1)
        cdef int probe, value
        for probe in range(8):
            if self.tag_keys[slot] == c_node.name:
                return self.tag_values[slot]
            if self.tag_keys[slot] == NULL:
                value = self.classify(c_node)
                self.tag_keys[slot] = c_node.name
                self.tag_values[slot] = value
                return value
            slot = (slot + 1) & (TAG_SLOTS - 1)
        return self.classify(c_node)

    cdef int classify(self, tree.xmlNode* c_node) except -1:
        key = <size_t>c_node.name
        cached = self.tag_classes.get(key)
        if cached is not None:
            return cached
        name = PyUnicode_DecodeUTF8(<const char*>c_node.name, strlen(<const char*>c_node.name), NULL)
        if name == "head":
            value = HEAD
        elif name == "a":
            value = LINK
        elif name in self.boxless:
            value = BOXLESS
        elif name in self.block_tags:
            value = BLOCK
        else:
            value = INLINE
        self.tag_classes[key] = value
        return value

    cdef int push_owner(self, Py_ssize_t index) except -1:
        cdef Py_ssize_t* grown
        if self.owners_len == self.owners_size:
            self.owners_size = self.owners_size * 2 or 64
            grown = <Py_ssize_t*>realloc(self.owners, self.owners_size * sizeof(Py_ssize_t))
            if grown == NULL:
                raise MemoryError()
            self.owners = grown
        self.owners[self.owners_len] = index
        self.owners_len += 1
        return 0

    cdef int add_text(self, const unsigned char* text) except -1:
        # Appends with whitespace runs collapsed to one space and none at the start (what
        # ``_WS.sub(" ", ...).strip()`` makes of the line), counting characters and link characters.
        cdef Py_ssize_t n = strlen(<const char*>text), i = 0, ws, step
        cdef unsigned char c
        if n == 0:
            return 0
        self.buf_any = True
        _grow(&self.buf, n + 1)
        if _visible(text):
            self.buf_visible = True
        while i < n:
            ws = _ws_length(text + i)
            if ws:
                if self.buf.length:
                    self.pending_space = True
                i += ws
                continue
            if self.pending_space:
                self.buf.data[self.buf.length] = 32
                self.buf.length += 1
                self.pending_space = False
            c = text[i]
            step = 1 if c < 0x80 else 2 if c < 0xE0 else 3 if c < 0xF0 else 4
            if i + step > n:
                step = n - i
            memcpy(self.buf.data + self.buf.length, text + i, step)
            self.buf.length += step
            self.buf_chars += 1
            if self.link_depth:
                self.buf_links += 1
            i += step
        return 0

    cdef int flush(self) except -1:
        cdef Py_ssize_t chars = self.buf_chars
        if self.buf.length:
            owner = self.owners[self.owners_len - 1]
            text = PyUnicode_DecodeUTF8(self.buf.data, self.buf.length, NULL)
            self.lines.append(
                self.line_class(
                    text,
                    elementFactory(self.doc, self.nodes[owner]),
                    owner,
                    min(self.buf_links, chars),
                    chars,
                    len(self.lines),
                    None,
                    _punctuation(<const unsigned char*>self.buf.data, self.buf.length),
                )
            )
        self.buf.length = 0
        self.buf_chars = 0
        self.buf_any = False
        self.pending_space = False
        return 0

    cdef int boundary(self) except -1:
        if self.buf_any:
            self.flush()
        self.buf_links = 0
        self.buf_visible = False
        return 0

    cdef bint hides(self, tree.xmlNode* c_node, _Document doc) except -1:
        cdef bint found = False, simple = True
        cdef const unsigned char* value
        if c_node.properties == NULL:
            return False
        value = _attr(c_node, "class", &found, &simple)
        if not simple or (found and not _plain(value)):
            return self.is_hidden(elementFactory(doc, c_node))
        if found and _hiding_class(value):
            return True
        value = _attr(c_node, "style", &found, &simple)
        if not simple or (found and not _plain(value)):
            return self.is_hidden(elementFactory(doc, c_node))
        if found and _display_none(value):
            return True
        _attr(c_node, "hidden", &found, &simple)
        return found

    cdef object name_of(self, tree.xmlNode* c_node):
        """dom.Page.names of an element: ``"<class> <id>"``, lower-cased."""
        cdef bint has_class = False, has_id = False, simple = True
        cdef const unsigned char* cls = NULL
        cdef const unsigned char* ident = NULL
        if c_node.properties == NULL:
            return " "
        cls = _attr(c_node, "class", &has_class, &simple)
        if simple:
            ident = _attr(c_node, "id", &has_id, &simple)
        if not simple:
            el = elementFactory(self.doc, c_node)
            return f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        if (not has_class or cls[0] == 0) and (not has_id or ident[0] == 0):
            return " "
        if (not has_class or _ascii(cls)) and (not has_id or _ascii(ident)):
            return self.ascii_names(cls if has_class else NULL, ident if has_id else NULL)
        first = PyUnicode_DecodeUTF8(<const char*>cls, strlen(<const char*>cls), NULL) if has_class else ""
        second = PyUnicode_DecodeUTF8(<const char*>ident, strlen(<const char*>ident), NULL) if has_id else ""
        return (first + " " + second).lower()

    cdef object ascii_names(self, const unsigned char* cls, const unsigned char* ident):
        # One string, lower-cased here: what (cls + " " + ident).lower() gives for ASCII values.
        cdef Py_ssize_t n_cls = strlen(<const char*>cls) if cls != NULL else 0
        cdef Py_ssize_t n_id = strlen(<const char*>ident) if ident != NULL else 0
        cdef Py_ssize_t i, n = n_cls + 1 + n_id
        cdef unsigned char c
        self.names_buf.length = 0
        _grow(&self.names_buf, n)
        for i in range(n_cls):
            c = cls[i]
            self.names_buf.data[i] = c + 32 if 65 <= c <= 90 else c
        self.names_buf.data[n_cls] = 32
        for i in range(n_id):
            c = ident[i]
            self.names_buf.data[n_cls + 1 + i] = c + 32 if 65 <= c <= 90 else c
        return PyUnicode_DecodeASCII(self.names_buf.data, n, NULL)

    cdef Py_ssize_t number(self, tree.xmlNode* c_node) except -1:
        """Give the element the next pre-order index (its line slice's start is set by the caller)."""
        cdef Py_ssize_t index = self.counter
        cdef tree.xmlNode** grown
        if index >= self.table_size:
            self.table_size = max(self.table_size * 2, index + 1024)
            self.first = _resized(self.first, self.table_size)
            self.stop = _resized(self.stop, self.table_size)
            self.last = _resized(self.last, self.table_size)
            grown = <tree.xmlNode**>realloc(self.nodes, self.table_size * sizeof(tree.xmlNode*))
            if grown == NULL:
                raise MemoryError()
            self.nodes = grown
        self.nodes[index] = c_node
        nc_set_mark(c_node, index + 1)
        self.counter += 1
        return index


cdef Py_ssize_t* _resized(Py_ssize_t* array, Py_ssize_t size) except NULL:
    cdef Py_ssize_t* grown = <Py_ssize_t*>realloc(array, size * sizeof(Py_ssize_t))
    if grown == NULL:
        raise MemoryError()
    return grown


cdef class ElementIndex:
    """``Page.order``: a read-only mapping of the page's kept elements to their pre-order index, and
    (``ElementList``) their sequence. The index is read from the element's node (``nc_get_mark``) and
    checked against the table, so no proxy is made for an element nobody asks about (most of a page's)
    and no dict entry for any."""

    cdef _Document doc
    cdef tree.xmlNode** nodes
    cdef Py_ssize_t size

    def __dealloc__(self):
        free(self.nodes)

    cdef inline Py_ssize_t index_of(self, el) noexcept:
        """The element's index, or -1 when it is not one of this page's kept elements."""
        cdef tree.xmlNode* c_node
        cdef Py_ssize_t index
        if not isinstance(el, _Element):
            return -1
        c_node = (<_Element>el)._c_node
        if c_node == NULL:
            return -1
        index = nc_get_mark(c_node) - 1
        if 0 <= index < self.size and self.nodes[index] == c_node:
            return index
        return -1

    cdef object element(self, Py_ssize_t index):
        return elementFactory(self.doc, self.nodes[index])

    def __getitem__(self, el):
        cdef Py_ssize_t index = self.index_of(el)
        if index < 0:
            raise KeyError(el)
        return index

    def get(self, el, default=None):
        cdef Py_ssize_t index = self.index_of(el)
        return default if index < 0 else index

    def __contains__(self, el):
        return self.index_of(el) >= 0

    def __len__(self):
        return self.size

    def __iter__(self):
        cdef Py_ssize_t index
        for index in range(self.size):
            yield self.element(index)


cdef class ElementList:
    """``Page.elements``: every kept element in pre-order, as a read-only sequence whose proxies are made
    when asked for."""

    cdef ElementIndex index

    def __len__(self):
        return self.index.size

    def __getitem__(self, key):
        cdef Py_ssize_t i, start, stop, step, length
        if isinstance(key, slice):
            start, stop, step = key.indices(self.index.size)
            return [self.index.element(i) for i in range(start, stop, step)]
        i = key
        length = self.index.size
        if i < 0:
            i += length
        if not 0 <= i < length:
            raise IndexError("element index out of range")
        return self.index.element(i)

    def __iter__(self):
        return iter(self.index)


cdef class ElementTable:
    """A read-only mapping of the page's elements to a number (``Page.end``) or a pair of numbers
    (``Page.spans``), held in a C array and found through the page's ``ElementIndex``: no dict entry and
    no tuple per element (hundreds per page, most never asked for)."""

    cdef ElementIndex order
    cdef Py_ssize_t* first
    cdef Py_ssize_t* second
    cdef Py_ssize_t size

    def __dealloc__(self):
        free(self.first)
        free(self.second)

    def __getitem__(self, el):
        cdef Py_ssize_t index = self.order.index_of(el)
        if index < 0:
            raise KeyError(el)
        if self.second == NULL:
            return self.first[index]
        return (self.first[index], self.second[index])

    def get(self, el, default=None):
        cdef Py_ssize_t index = self.order.index_of(el)
        if index < 0:
            return default
        if self.second == NULL:
            return self.first[index]
        return (self.first[index], self.second[index])

    def __contains__(self, el):
        return self.order.index_of(el) >= 0

    def __len__(self):
        return self.size

    def __iter__(self):
        return iter(self.order)


cdef ElementTable _table(ElementIndex order, Py_ssize_t* first, Py_ssize_t* second, Py_ssize_t size):
    # Takes over the arrays.
    cdef ElementTable table = ElementTable.__new__(ElementTable)
    table.order, table.first, table.second, table.size = order, first, second, size
    return table


def render(
    _Element root,
    list hidden,
    list names,
    *,
    line_class,
    block_tags,
    boxless,
    is_hidden,
    hidden_in_head,
):
    """Render ``root``'s tree into lines; fills ``hidden`` and ``names`` (each element's ``Page.names``,
    in pre-order); returns the lines, ``order`` (``ElementIndex``), ``elements`` (``ElementList``) and
    the ``end`` and ``spans`` tables (``ElementTable``). The tree must not change afterwards but for the
    removal of the ``hidden`` elements (which are not numbered)."""
    cdef _Walk w = _Walk()
    cdef _Document doc = root._doc
    cdef tree.xmlNode* top = root._c_node
    cdef tree.xmlNode* c = top
    cdef Py_ssize_t* stack = NULL  # pre-order index of each open element
    cdef Py_ssize_t depth = 0, stack_size = 0, index
    cdef Py_ssize_t* grown
    cdef int kind
    cdef bint skip_tail = False, descend
    cdef ElementIndex order
    cdef ElementList elements
    w.lines, w.hidden, w.doc = [], hidden, doc
    w.line_class, w.is_hidden = line_class, is_hidden
    w.block_tags, w.boxless = frozenset(block_tags), frozenset(boxless)
    w.tag_classes = {}
    try:
        while True:
            descend = False
            if c.type == tree.XML_ELEMENT_NODE:
                skip_tail = False
                if c != top and w.hides(c, doc):
                    hidden.append(elementFactory(doc, c))
                else:
                    index = w.number(c)
                    names.append(w.name_of(c))
                    kind = w.tag_class(c)
                    if kind == HEAD:
                        # Kept in the tree for meta/link selectors, but never part of the visible text.
                        hidden.extend(hidden_in_head(elementFactory(doc, c)))
                        w.first[index] = len(w.lines)
                        w.stop[index] = len(w.lines)
                        w.last[index] = index
                        skip_tail = True
                    else:
                        if kind == BLOCK or kind == BOXLESS:
                            w.boundary()
                            if kind == BLOCK:
                                w.push_owner(index)
                        elif w.owners_len == 0:
                            w.push_owner(index)
                        w.first[index] = len(w.lines)
                        if kind == LINK:
                            w.link_depth += 1
                        if c.children != NULL:
                            if depth == stack_size:
                                stack_size = stack_size * 2 or 256
                                grown = <Py_ssize_t*>realloc(stack, stack_size * sizeof(Py_ssize_t))
                                if grown == NULL:
                                    raise MemoryError()
                                stack = grown
                            stack[depth] = index
                            depth += 1
                            descend = True
                        else:
                            _close(w, c, index)
            elif c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
                if not skip_tail and c.content != NULL:
                    w.add_text(c.content)
            if descend:
                c = c.children
                continue
            # Up to the next sibling, closing the elements left on the way.
            while c != top and c.next == NULL:
                c = c.parent
                depth -= 1
                _close(w, c, stack[depth])
                skip_tail = False
            if c == top:
                break
            c = c.next
        # The root's own tail, as lxml's iterwalk gives it.
        c = top.next
        while c != NULL and (c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE):
            if c.content != NULL:
                w.add_text(c.content)
            c = c.next
        if w.buf_any:
            w.flush()
    finally:
        free(stack)
    order = ElementIndex.__new__(ElementIndex)
    order.doc, order.nodes, order.size = doc, w.nodes, w.counter
    elements = ElementList.__new__(ElementList)
    elements.index = order
    end = _table(order, w.last, NULL, w.counter)
    spans = _table(order, w.first, w.stop, w.counter)
    w.last = w.first = w.stop = NULL  # the tables own them now
    w.nodes = NULL  # and the index this
    return w.lines, order, elements, end, spans


cdef int _close(_Walk w, tree.xmlNode* c, Py_ssize_t index) except -1:
    cdef int kind = w.tag_class(c)
    w.last[index] = w.counter - 1
    if kind == LINK:
        w.link_depth -= 1
    if kind == BLOCK or kind == BOXLESS:
        w.boundary()
        if kind == BLOCK and w.owners_len and w.owners[w.owners_len - 1] == index:
            w.owners_len -= 1
        w.stop[index] = len(w.lines)
    else:
        w.stop[index] = len(w.lines) + w.buf_visible
    return 0
