//! Compiles the Slint UI (only with the `ui` feature) with the bundled zh_CN translation.
//! Debug builds carry element debug info so headless tests can find elements by id.
fn main() {
    println!("cargo:rerun-if-changed=ui");
    println!("cargo:rerun-if-changed=lang");
    #[cfg(feature = "ui")]
    {
        let debug = std::env::var("PROFILE").as_deref() == Ok("debug");
        let config = slint_build::CompilerConfiguration::new()
            .with_style("fluent-light".into())
            .with_bundled_translations("lang")
            .with_default_translation_context(slint_build::DefaultTranslationContext::None)
            .with_debug_info(debug);
        slint_build::compile_with_config("ui/app.slint", config).expect("the Slint UI compiles");
    }
}
