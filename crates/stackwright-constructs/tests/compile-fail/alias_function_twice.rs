//! An alias gets its function from its version: the function cannot be given a second time,
//! so it cannot be given a different one.

use stackwright_constructs::lambda::{
    AliasProps, Code, Function, FunctionProps, Runtime, Version, VersionProps,
};
use stackwright_core::App;

fn main() {
    let mut app = App::new();
    let mut s = app.stack("S");
    let props = || FunctionProps::new(Runtime::Python313, "index.handler", Code::inline("pass"));
    let first = Function::new(&mut s, "First", props());
    let second = Function::new(&mut s, "Second", props());
    let version = Version::new(&mut s, "V1", &second, VersionProps::new());
    let _ = AliasProps::new("live", &first, &version);
}
