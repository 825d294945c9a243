//! `iishunt explain`: the same inputs as `query`; prints the engine's
//! logical and physical plans (columns read, filters pushed down, row groups
//! pruned) instead of running the query.

use std::io::{self, IsTerminal};
use std::process::ExitCode;

use crate::diagnostic::{self, Source};
use crate::output;
use crate::query::QueryInput;

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    #[command(flatten)]
    pub input: QueryInput,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<ExitCode> {
    let (text, file) = args.input.text()?;
    let data = output::data_paths(&args.input.data)?;
    let engine = args.input.open_engine(&data)?;
    match engine.explain(&text, &args.input.options()) {
        Ok(plan) => {
            println!("{}", plan.trim_end());
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            let color = output::color_on(io::stderr().is_terminal());
            eprint!(
                "{}",
                diagnostic::render(
                    &err,
                    Source {
                        name: file.as_deref(),
                        text: &text
                    },
                    color
                )
            );
            Ok(ExitCode::from(1))
        }
    }
}
