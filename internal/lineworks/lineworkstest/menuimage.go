package lineworkstest

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"sync"
)

// menuImages caches generated images by format and height.
var menuImages sync.Map // menuImageKey -> []byte

type menuImageKey struct {
	jpeg   bool
	height int
}

// RichMenuPNG returns a valid rich menu image of the given height (843 or
// 1686): a 2500-pixel-wide PNG of two panels, one per half of the menu. It
// is generated, not stored, and compresses to well under a kilobyte, so
// tests and demos need no binary file. Any other height gives an image of
// that height, which the service refuses: useful for testing that refusal.
func RichMenuPNG(height int) []byte { return richMenuImage(menuImageKey{height: height}) }

// RichMenuJPEG is RichMenuPNG as a JPEG.
func RichMenuJPEG(height int) []byte { return richMenuImage(menuImageKey{jpeg: true, height: height}) }

// WriteRichMenuPNG writes RichMenuPNG(height) to path.
func WriteRichMenuPNG(path string, height int) error {
	return os.WriteFile(path, RichMenuPNG(height), 0o644)
}

// MenuImage returns an image of any size in the given format ("png" or
// "jpeg"), for tests of the size checks.
func MenuImage(format string, width, height int) []byte {
	return encodeMenuImage(format == "jpeg", width, height)
}

func richMenuImage(k menuImageKey) []byte {
	if b, ok := menuImages.Load(k); ok {
		return bytes.Clone(b.([]byte))
	}
	b := encodeMenuImage(k.jpeg, richMenuWidth, k.height)
	menuImages.Store(k, b)
	return bytes.Clone(b)
}

func encodeMenuImage(asJPEG bool, width, height int) []byte {
	// Two panels. As PNG, a two-colour palette: one bit per pixel, and the
	// long runs deflate to almost nothing. As JPEG, grey, which the encoder
	// converts fastest.
	var buf bytes.Buffer
	var err error
	if asJPEG {
		img := image.NewGray(image.Rect(0, 0, width, height))
		fillPanels(img.Pix, img.Stride, width, height, 0x60, 0xf5)
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 50})
	} else {
		img := image.NewPaletted(image.Rect(0, 0, width, height), color.Palette{
			color.RGBA{0x06, 0xc7, 0x55, 0xff}, // LINE WORKS green
			color.RGBA{0xf5, 0xf5, 0xf5, 0xff},
		})
		fillPanels(img.Pix, img.Stride, width, height, 0, 1)
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	}
	if err != nil {
		panic("lineworkstest: " + err.Error()) // encoding to memory does not fail
	}
	return buf.Bytes()
}

// fillPanels paints the left half of a one-byte-per-pixel image left, the
// right half right.
func fillPanels(pix []uint8, stride, width, height int, left, right uint8) {
	row := make([]uint8, width)
	for x := range row {
		row[x] = left
		if x >= width/2 {
			row[x] = right
		}
	}
	for y := range height {
		copy(pix[y*stride:], row)
	}
}
