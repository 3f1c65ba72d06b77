package control

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	fw := newFrameWriter(&buf)
	big := bytes.Repeat([]byte("0123456789abcdef"), MaxPayload/8) // two full frames
	stdout, stderr := stream{fw, frameStdout, false}, stream{fw, frameStderr, true}
	stdout.Write([]byte("line 1\n"))
	stderr.Write([]byte("notice\n"))
	stdout.Write(big)
	fw.send(frameExit, exitPayload(-2), true)

	var out, errOut bytes.Buffer
	var frames []byte
	for {
		f, err := readFrame(&buf)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, f.typ)
		switch f.typ {
		case frameStdout:
			if len(f.payload) > MaxPayload {
				t.Fatalf("a %d-byte frame", len(f.payload))
			}
			out.Write(f.payload)
		case frameStderr:
			errOut.Write(f.payload)
		case frameExit:
			if exitCode(f.payload) != -2 {
				t.Fatalf("exit %d", exitCode(f.payload))
			}
		}
	}
	if string(frames) != "OEOOX" {
		t.Fatalf("frames %q, want OEOOX (order kept, the big write split at MaxPayload)", frames)
	}
	if out.String() != "line 1\n"+string(big) || errOut.String() != "notice\n" {
		t.Fatal("payloads differ after the round trip")
	}
}

func header(typ byte, n uint32) []byte {
	return binary.BigEndian.AppendUint32([]byte{typ}, n)
}

func TestReadFrameRefusesMalformed(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
		want error
		msg  string
	}{
		{"empty", nil, io.EOF, ""},
		{"short header", []byte{'O', 0, 0}, io.ErrUnexpectedEOF, ""},
		{"unknown type", header('Z', 1), ErrFrame, "unknown type 0x5a"},
		{"zero type", header(0, 0), ErrFrame, "unknown type 0x00"},
		{"over the limit", header('O', MaxPayload+1), ErrFrame, "over the 65536-byte limit"},
		{"huge length", header('Q', 0xffffffff), ErrFrame, "over the"},
		{"short payload", append(header('O', 10), "abc"...), io.ErrUnexpectedEOF, ""},
		{"missing payload", header('E', 3), io.ErrUnexpectedEOF, ""},
		{"exit of 3 bytes", append(header('X', 3), 0, 0, 1), ErrFrame, "exit frame of 3 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readFrame(bytes.NewReader(tc.in))
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err %v, want %v containing %q", err, tc.want, tc.msg)
			}
		})
	}
}

func TestReadFrameIntoReusesItsBuffer(t *testing.T) {
	buf := make([]byte, 16)
	in := append(appendFrame(nil, frameStdout, []byte("abc")), appendFrame(nil, frameStdout, bytes.Repeat([]byte("x"), 20))...)
	r := bytes.NewReader(in)
	f, err := readFrameInto(r, buf)
	if err != nil || string(f.payload) != "abc" || &f.payload[0] != &buf[0] {
		t.Fatalf("a small frame: %q %v (in the buffer: %v)", f.payload, err, err == nil && &f.payload[0] == &buf[0])
	}
	// Larger than the buffer: a payload of its own, the buffer untouched.
	if f, err = readFrameInto(r, buf); err != nil || len(f.payload) != 20 || string(buf[:3]) != "abc" {
		t.Fatalf("a large frame: %d bytes, %v", len(f.payload), err)
	}
}

func TestReadFrameAcceptsTheLimit(t *testing.T) {
	in := append(header('O', MaxPayload), make([]byte, MaxPayload)...)
	f, err := readFrame(bytes.NewReader(in))
	if err != nil || len(f.payload) != MaxPayload {
		t.Fatalf("a frame of exactly MaxPayload: %v", err)
	}
}

// FuzzReadFrame: whatever arrives, the decoder returns a frame of a known
// type within the limit, or an error; it never panics or over-allocates.
// Seeds are in testdata/fuzz/FuzzReadFrame.
func FuzzReadFrame(f *testing.F) {
	f.Add(appendFrame(nil, frameHello, []byte(`{"protocol":1,"cxtop":"dev"}`)))
	f.Add(appendFrame(nil, frameExit, exitPayload(1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		for {
			fr, err := readFrame(r)
			if err != nil {
				return
			}
			if !knownType(fr.typ) || len(fr.payload) > MaxPayload {
				t.Fatalf("accepted type %q with %d bytes", fr.typ, len(fr.payload))
			}
			if fr.typ == frameExit && len(fr.payload) != 4 {
				t.Fatalf("accepted an exit frame of %d bytes", len(fr.payload))
			}
			// What was decoded encodes back to the bytes it came from.
			if again := appendFrame(nil, fr.typ, fr.payload); !bytes.Equal(again, data[:len(again)]) {
				t.Fatal("re-encoding differs from the input")
			}
			data = data[len(appendFrame(nil, fr.typ, fr.payload)):]
		}
	})
}
