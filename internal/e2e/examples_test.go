package e2e

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lineworks-community/terraform-provider-lineworks/internal/devenv"
)

// ourSource is this provider's registry address, as examples write it.
const ourSource = "lineworks-community/lineworks"

// companions are the other providers examples may use (hashicorp/time for
// scheduled secret rotation), each with the Go module that builds it at a
// pinned version. They are built through the Go module proxy, as every tool
// here is, and served through dev_overrides like this provider, so their
// examples are validated offline too.
var companions = map[string]string{
	"hashicorp/time": "github.com/hashicorp/terraform-provider-time@v0.14.2",
}

// Every directory under examples/ that holds .tf files is a configuration
// Terraform accepts: `terraform validate` through dev_overrides, with what a
// root module around the snippet would declare (this provider's source, the
// variables the snippet uses) declared for it. Directories
// are discovered, so examples added later are covered without editing this
// test. An example that needs a provider other than this one and the
// companions cannot be validated offline (there is no registry here): it is
// skipped, saying which provider, and listed at the end.
func TestExamplesValidate(t *testing.T) {
	root := filepath.Join("..", "..", "examples")
	dirs, err := exampleDirs(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 8 {
		t.Fatalf("found only %d example directories under %s: the walk is broken", len(dirs), root)
	}
	var skipped []string
	// Runs once the parallel subtests are done.
	t.Cleanup(func() {
		if len(skipped) > 0 {
			sort.Strings(skipped)
			t.Logf("examples not validated:\n  %s", strings.Join(skipped, "\n  "))
		}
	})
	for _, dir := range dirs {
		name, _ := filepath.Rel(root, dir)
		ex, err := inspectExample(dir)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if reason := ex.cannotValidate(); reason != "" {
			skipped = append(skipped, name+": "+reason)
		}
		t.Run(filepath.ToSlash(name), func(t *testing.T) {
			t.Parallel()
			if reason := ex.cannotValidate(); reason != "" {
				t.Skip(reason)
			}
			config := t.TempDir()
			for file, src := range ex.files {
				if err := os.WriteFile(filepath.Join(config, file), src, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.WriteFile(filepath.Join(config, "zz_validate.tf"), []byte(ex.missingDeclarations()), 0o644); err != nil {
				t.Fatal(err)
			}
			var overrides []devenv.Override
			for _, source := range ex.companionsUsed() {
				overrides = append(overrides, devenv.Override{Source: source, Dir: companionDir(t, source)})
			}
			r := newRun(t, config, overrides...)
			if out := r.terraform(nil, "validate", "-no-color"); !strings.Contains(out, "The configuration is valid") {
				t.Fatalf("terraform validate:\n%s", out)
			}
		})
	}
}

// The inspection that decides what the validation test declares and skips.
func TestInspectExample(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.tf", `
variable "declared" { type = string }

provider "lineworks" {
  client_secret = var.secret
  scopes        = [for s in var.scopes : lower(s)]
}

resource "terraform_data" "x" {
  input = "${var.declared}-${var.in_template}"
}

output "url" {
  value = provider::lineworks::attachment_url(var.file_id)
}
`)
	ex, err := inspectExample(dir)
	if err != nil {
		t.Fatal(err)
	}
	if reason := ex.cannotValidate(); reason != "" {
		t.Errorf("only this provider and built-ins, yet: %s", reason)
	}
	want := "terraform {\n  required_providers {\n    lineworks = { source = \"lineworks-community/lineworks\" }\n  }\n}\n" +
		"variable \"file_id\" {}\nvariable \"in_template\" {}\nvariable \"scopes\" {}\nvariable \"secret\" {}\n"
	if got := ex.missingDeclarations(); got != want {
		t.Errorf("declared for it:\n%s\nwant:\n%s", got, want)
	}

	write("other.tf", `
terraform {
  required_providers {
    lineworks = { source = "lineworks-community/lineworks" }
    restapi   = { source = "Mastercard/restapi" }
  }
}

resource "time_rotating" "weekly" { rotation_days = 7 }

ephemeral "lineworks_access_token" "t" {
  provider = lineworks.bot
}
`)
	if ex, err = inspectExample(dir); err != nil {
		t.Fatal(err)
	}
	if got, want := ex.cannotValidate(), "needs provider Mastercard/restapi: it cannot be installed offline"; got != want {
		t.Errorf("cannotValidate() = %q, want %q", got, want)
	}
	if got := ex.companionsUsed(); !slices.Equal(got, []string{"hashicorp/time"}) {
		t.Errorf("companionsUsed() = %q, want hashicorp/time (time_rotating, source implied)", got)
	}
	if got := ex.missingDeclarations(); strings.Contains(got, "required_providers") {
		t.Errorf("lineworks is required by the example, yet declared again:\n%s", got)
	}

	write("broken.tf", `resource "x" {`)
	if _, err := inspectExample(dir); err == nil {
		t.Error("an example that does not parse was accepted")
	}
}

// exampleDirs are the directories under root that hold .tf files.
func exampleDirs(root string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".tf" {
			return err
		}
		if dir := filepath.Dir(p); !slices.Contains(dirs, dir) {
			dirs = append(dirs, dir)
		}
		return nil
	})
	return dirs, err
}

// example is what validating one example directory needs to know.
type example struct {
	files     map[string][]byte // the directory's own .tf files, by name
	declared  map[string]bool   // variables it declares
	used      map[string]bool   // variables it references (var.NAME)
	providers map[string]string // provider local names it uses, to their source ("" when not required)
	required  map[string]bool   // local names in its required_providers
	modules   bool              // it calls a module, which needs terraform init
}

func inspectExample(dir string) (*example, error) {
	ex := &example{files: map[string][]byte{}, declared: map[string]bool{}, used: map[string]bool{}, providers: map[string]string{}, required: map[string]bool{}}
	names, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		return nil, err
	}
	parser := hclparse.NewParser()
	for _, name := range names {
		if filepath.Base(name) == "import-by-identity.tf" {
			continue // Terraform 1.12+: TestImportByIdentityExamplesValidate
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		ex.files[filepath.Base(name)] = src
		f, diags := parser.ParseHCL(src, name)
		if diags.HasErrors() {
			return nil, diags
		}
		body := f.Body.(*hclsyntax.Body)
		ex.inspectBlocks(body)
		diags = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
			switch e := n.(type) {
			case *hclsyntax.ScopeTraversalExpr:
				if e.Traversal.RootName() == "var" && len(e.Traversal) > 1 {
					if attr, ok := e.Traversal[1].(hcl.TraverseAttr); ok {
						ex.used[attr.Name] = true
					}
				}
			case *hclsyntax.FunctionCallExpr:
				if parts := strings.Split(e.Name, "::"); len(parts) == 3 && parts[0] == "provider" {
					ex.useProvider(parts[1])
				}
			}
			return nil
		})
		if diags.HasErrors() {
			return nil, diags
		}
	}
	return ex, nil
}

func (ex *example) inspectBlocks(body *hclsyntax.Body) {
	for _, b := range body.Blocks {
		switch b.Type {
		case "variable":
			ex.declared[b.Labels[0]] = true
		case "provider":
			ex.useProvider(b.Labels[0])
		case "module":
			ex.modules = true
		case "resource", "data", "ephemeral", "list", "action":
			local, _, _ := strings.Cut(b.Labels[0], "_")
			if attr, ok := b.Body.Attributes["provider"]; ok {
				if tr, ok := attr.Expr.(*hclsyntax.ScopeTraversalExpr); ok {
					local = tr.Traversal.RootName()
				}
			}
			ex.useProvider(local)
		case "terraform":
			for _, rp := range b.Body.Blocks {
				if rp.Type != "required_providers" {
					continue
				}
				for local, attr := range rp.Body.Attributes {
					ex.providers[local] = requiredSource(attr.Expr)
					ex.required[local] = true
				}
			}
		}
	}
}

func (ex *example) useProvider(local string) {
	if _, ok := ex.providers[local]; !ok {
		ex.providers[local] = ""
	}
}

// requiredSource is the source of a required_providers entry.
func requiredSource(expr hclsyntax.Expression) string {
	v, diags := expr.Value(nil)
	if diags.HasErrors() || !v.Type().IsObjectType() || !v.Type().HasAttribute("source") {
		return ""
	}
	if s := v.GetAttr("source"); s.Type() == cty.String && s.IsKnown() && !s.IsNull() {
		return s.AsString()
	}
	return ""
}

// cannotValidate says why the example cannot be validated offline, or "".
func (ex *example) cannotValidate() string {
	var others []string
	for local, source := range ex.providers {
		ours := source == ourSource || strings.HasSuffix(source, "/"+ourSource) || (source == "" && local == "lineworks")
		builtin := local == "terraform" && (source == "" || strings.HasSuffix(source, "builtin/terraform"))
		if _, companion := companions[registrySource(local, source)]; ours || builtin || companion {
			continue
		}
		if source == "" {
			source = local
		}
		others = append(others, source)
	}
	sort.Strings(others)
	switch {
	case len(others) > 0:
		return fmt.Sprintf("needs provider %s: it cannot be installed offline", strings.Join(others, ", "))
	case ex.modules:
		return "calls a module, which needs terraform init"
	}
	return ""
}

// companionsUsed are the companion providers the example uses, by source.
func (ex *example) companionsUsed() []string {
	var out []string
	for local, source := range ex.providers {
		if s := registrySource(local, source); companions[s] != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// registrySource is a provider's source as namespace/type: a provider that
// is not in required_providers is hashicorp's, as Terraform assumes.
func registrySource(local, source string) string {
	if source == "" {
		source = "hashicorp/" + local
	}
	return strings.TrimPrefix(strings.ToLower(source), "registry.terraform.io/")
}

// companionBuilds holds one build per companion for the whole test binary.
var companionBuilds sync.Map // source -> func() (string, error)

// companionDir builds a companion provider once, with go install at its
// pinned version, and returns the directory holding its binary.
func companionDir(t *testing.T, source string) string {
	t.Helper()
	build, _ := companionBuilds.LoadOrStore(source, sync.OnceValues(func() (string, error) {
		dir := filepath.Join(providerDir, "companions", strings.ReplaceAll(source, "/", "_"))
		cmd := exec.Command("go", "install", companions[source])
		cmd.Env = append(os.Environ(), "GOBIN="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go install %s: %w\n%s", companions[source], err, out)
		}
		return dir, nil
	}))
	dir, err := build.(func() (string, error))()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// missingDeclarations is what a root module around the example would
// declare and the example leaves out: this provider's source (without it,
// "lineworks" means hashicorp/lineworks), and each variable it uses, with
// no type.
func (ex *example) missingDeclarations() string {
	var b strings.Builder
	if _, required := ex.required["lineworks"]; !required {
		fmt.Fprintf(&b, "terraform {\n  required_providers {\n    lineworks = { source = %q }\n  }\n}\n", ourSource)
	}
	var names []string
	for name := range ex.used {
		if !ex.declared[name] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(&b, "variable %q {}\n", name)
	}
	return b.String()
}
