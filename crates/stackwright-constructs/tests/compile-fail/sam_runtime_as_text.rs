//! A SAM function takes the same typed runtime as a plain Lambda function, not free text.

use stackwright_constructs::sam::{Code, FunctionProps};

fn main() {
    let _ = FunctionProps::new("nodejs18.x", "index.handler", Code::local("src/"));
}
