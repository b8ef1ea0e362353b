fn main() -> std::process::ExitCode {
    legal_kiosk::cli::main()
}
