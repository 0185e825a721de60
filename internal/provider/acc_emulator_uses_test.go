package provider

// Which acceptance tests need the emulator, found in their source: a test
// that reaches env.emu (directly, or through a helper that does), or the
// emulator's own app (the test client ID, secret and keys), cannot run
// against a real tenant. Reading it from the source means no test has to
// declare it and none can forget to: a new test that reaches for the
// emulator is skipped against a real tenant, saying for what, rather than
// failing there. A helper that asks env.emulated() (or reads accTenant)
// looks at whichever tenant there is, and does not count; neither does a
// check passed to env.onEmulator.

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"sync"
)

// emulatorParts say what a test needs of the emulator, by the part of it
// that it reaches (a field or method of env.emu, or an identifier of what
// only the emulator knows).
var emulatorParts = map[string]string{
	"Requests":   "the requests it recorded",
	"Bots":       "its bots, changed behind Terraform's back or read as it holds them",
	"Storage":    "attachments it serves",
	"Faults":     "faults it injects",
	"Forms":      "its answer forms",
	"Auth":       "its token issuer",
	"Legacy":     "API 1.0, retired, which only it still serves",
	"Directory":  "its directory",
	"Menus":      "its rich menus, changed behind Terraform's back",
	"SetClock":   "its clock",
	"AuthURL":    "its endpoints",
	"APIURL":     "its endpoints",
	"StorageURL": "its endpoints",
	"emu":        "the emulator itself",
}

// emulatorIdents are identifiers of what only the emulator knows: its own
// app, and objects that exist only there.
var emulatorIdents = map[string]string{
	"testClientID":     emulatorApp,
	"testClientSecret": emulatorApp,
	"testAccount":      emulatorApp,
	"testAPIID":        emulatorApp,
	"testServerID":     emulatorApp,
	"testConsumerKey":  emulatorApp,
	"TestKey":          emulatorApp, // lineworkstest's
	"GenerateKey":      emulatorApp,
	"testBotID":        "a bot and a file that exist only there",
	"testFileID":       "a bot and a file that exist only there",
}

const emulatorApp = "its own app, whose client ID, secret and key only it knows"

// funcUses is what one function of the test sources reaches.
type funcUses struct {
	parts     map[string]bool // of the emulator, directly
	refs      map[string]bool // names it calls or refers to: "f" for a function, ".m" for a method
	modeAware bool
}

// emulatorNeeds says, in the words of emulatorParts, what the test named
// needs of the emulator, reading the test sources in dir; none for a test
// that can run against a real tenant.
func emulatorNeeds(dir, test string) ([]string, error) {
	index, err := indexTestSources(dir)
	if err != nil {
		return nil, err
	}
	if index[test] == nil {
		return nil, fmt.Errorf("no function %s in the test sources of %s", test, dir)
	}
	parts := map[string]bool{}
	seen := map[string]bool{}
	var visit func(name string)
	visit = func(name string) {
		f := index[name]
		if f == nil || seen[name] || f.modeAware {
			return
		}
		seen[name] = true
		maps.Copy(parts, f.parts)
		for ref := range f.refs {
			visit(ref)
		}
	}
	visit(test)
	byNeed := map[string][]string{}
	for p := range parts {
		need := cmp.Or(emulatorParts[p], emulatorIdents[p], "its "+p)
		byNeed[need] = append(byNeed[need], p)
	}
	var needs []string
	for _, need := range slices.Sorted(maps.Keys(byNeed)) {
		names := byNeed[need]
		slices.Sort(names)
		needs = append(needs, fmt.Sprintf("%s (%s)", need, joinNames(names)))
	}
	return needs, nil
}

func joinNames(names []string) string {
	out := names[0]
	for _, n := range names[1:] {
		out += ", " + n
	}
	return out
}

var indexes sync.Map // dir → func() (map[string]*funcUses, error)

// indexTestSources reads every function of the _test.go files in dir once.
func indexTestSources(dir string) (map[string]*funcUses, error) {
	once, _ := indexes.LoadOrStore(dir, sync.OnceValues(func() (map[string]*funcUses, error) { return readTestSources(dir) }))
	return once.(func() (map[string]*funcUses, error))()
}

func readTestSources(dir string) (map[string]*funcUses, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no test sources in %s: the tests must run from their package's directory", dir)
	}
	fset := token.NewFileSet()
	index := map[string]*funcUses{}
	for _, path := range files {
		file, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			name := fd.Name.Name
			if fd.Recv != nil {
				name = "." + name // methods are told apart by name only: any type's counts
			}
			if index[name] == nil {
				index[name] = &funcUses{parts: map[string]bool{}, refs: map[string]bool{}}
			}
			index[name].add(fd.Body)
		}
	}
	return index, nil
}

// add records what body reaches.
func (f *funcUses) add(body *ast.BlockStmt) {
	counted := map[ast.Node]bool{} // x.emu within an x.emu.Part already counted
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
				switch sel.Sel.Name {
				case "onEmulator":
					return false // its check runs against the emulator only
				case "emulated":
					f.modeAware = true
				}
			}
		case *ast.SelectorExpr:
			if inner, ok := n.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "emu" {
				f.parts[n.Sel.Name] = true
				counted[inner] = true
			} else if n.Sel.Name == "emu" && !counted[n] {
				f.parts["emu"] = true
			}
			if pkg, ok := n.X.(*ast.Ident); ok && pkg.Name == "lineworkstest" && emulatorIdents[n.Sel.Name] != "" {
				f.parts[n.Sel.Name] = true
			}
			f.refs["."+n.Sel.Name] = true
		case *ast.Ident:
			switch {
			case n.Name == "accTenant":
				f.modeAware = true
			case emulatorIdents[n.Name] != "" && n.Name[0] == 't': // this package's, not lineworkstest's
				f.parts[n.Name] = true
			}
			f.refs[n.Name] = true
		}
		return true
	})
}
