//! `spaser completions SHELL`: the completion script of the command for a shell.

use clap::CommandFactory;
use clap_complete::Shell;

use crate::{Cli, Failure, output};

/// Arguments of `spaser completions`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Install, e.g.: spaser completions bash > ~/.local/share/bash-completion/completions/spaser\n  spaser completions zsh > ~/.zfunc/_spaser; spaser completions fish > ~/.config/fish/completions/spaser.fish"
)]
pub struct Args {
    /// The shell
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Runs `spaser completions`.
pub fn run(args: &Args) -> Result<(), Failure> {
    let mut cmd = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "spaser", &mut script);
    output::write_stdout(&String::from_utf8_lossy(&script))
}
