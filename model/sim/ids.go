package sim

// Id widths: tickets and feedback "T"/"F" + 8 digits, events "E" + 9,
// customers "C" + 6, orders "O" + 8. A counter past its width just grows.
const (
	ticketWidth   = 8
	feedbackWidth = 8
	eventWidth    = 9
	customerWidth = 6
	orderWidth    = 8
)

// formatID writes prefix, kind and n zero-padded to width digits.
func formatID(prefix string, kind byte, n uint64, width int) string {
	var buf [64]byte
	b := append(buf[:0], prefix...)
	b = append(b, kind)
	var d [20]byte
	i := len(d)
	for n > 0 || len(d)-i < width {
		i--
		d[i] = byte('0' + n%10)
		n /= 10
	}
	b = append(b, d[i:]...)
	return string(b)
}
