package jsonscan

// Members iterates over the members of a JSON object. The zero value has
// no members.
type Members struct {
	b []byte
	i int
}

// ObjectMembers returns an iterator over the members of the JSON object
// obj, which may be surrounded by white space. Anything other than an
// object has no members.
func ObjectMembers(obj []byte) Members {
	i := SkipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return Members{}
	}
	return Members{b: obj, i: SkipSpace(obj, i+1)}
}

// Next returns the next member: key is its name as a raw JSON string
// literal, quotes included (see Unquote and StringEquals), and value its
// raw value without surrounding white space. ok is false after the last
// member.
func (m *Members) Next() (key, value []byte, ok bool) {
	b, i := m.b, m.i
	if i >= len(b) || b[i] != '"' {
		return nil, nil, false
	}
	keyEnd := StringEnd(b, i)
	key = b[i:keyEnd]
	i = SkipSpace(b, keyEnd)
	if i >= len(b) || b[i] != ':' {
		m.i = len(b)
		return nil, nil, false
	}
	i = SkipSpace(b, i+1)
	end := ValueEnd(b, i)
	value = b[i:end]
	m.i = afterComma(b, end)
	return key, value, len(value) > 0
}

// Elements iterates over the elements of a JSON array. The zero value has
// no elements.
type Elements struct {
	b []byte
	i int
}

// ArrayElements returns an iterator over the elements of the JSON array
// arr, which may be surrounded by white space. Anything other than an
// array has no elements.
func ArrayElements(arr []byte) Elements {
	i := SkipSpace(arr, 0)
	if i >= len(arr) || arr[i] != '[' {
		return Elements{}
	}
	i = SkipSpace(arr, i+1)
	if i < len(arr) && arr[i] == ']' {
		return Elements{}
	}
	return Elements{b: arr, i: i}
}

// Next returns the next element, raw and without surrounding white space;
// ok is false after the last element.
func (e *Elements) Next() (value []byte, ok bool) {
	b, i := e.b, e.i
	if i >= len(b) {
		return nil, false
	}
	end := ValueEnd(b, i)
	value = b[i:end]
	e.i = afterComma(b, end)
	return value, len(value) > 0
}

// afterComma returns the index of the next member or element after a value
// that ends at b[i]: past the separating comma, or len(b) when the
// container ends there.
func afterComma(b []byte, i int) int {
	i = SkipSpace(b, i)
	if i < len(b) && b[i] == ',' {
		return SkipSpace(b, i+1)
	}
	return len(b)
}

// MemberValue returns the raw value of the member called name in the JSON
// object obj, without surrounding white space. The first of duplicate
// members wins, as with astjson, which the resolver reads answers with: a
// check made here holds for what the resolver uses.
func MemberValue(obj []byte, name string) (value []byte, found bool) {
	it := ObjectMembers(obj)
	for k, v, ok := it.Next(); ok; k, v, ok = it.Next() {
		if StringEquals(k, name) {
			return v, true
		}
	}
	return nil, false
}
