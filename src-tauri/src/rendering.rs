//! How WebKitGTK draws the window on Linux, chosen before the first thread starts.
//!
//! Where the machine has no GPU render node (`/dev/dri/renderD*`: virtual machines, containers,
//! remote desktops, Xvfb), WebKit's DMA-BUF renderer still composites every frame through GL,
//! which is then Mesa's software rasterizer, and hands the result over as a buffer: measured on
//! the interactions benchmark (2 cores, no GPU), a frame that repaints the window cost 50-70 ms
//! that way against 16 ms drawn on the CPU directly, and the GL emulation took CPU from
//! everything else (the triage queue's query ran in 21-27 ms instead of 13). So on such a
//! machine the window draws on the CPU. With a GPU nothing changes, and a variable the person
//! set wins.

use std::sync::OnceLock;

/// The variable that turns the DMA-BUF renderer off (WebKitGTK 2.42 and later).
const DISABLE_DMABUF: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// How the window draws, as the About box says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Drawing {
    /// No GPU render node: drawn on the CPU, not through software GL.
    CpuForNoGpu,
    /// WebKit's own choice (a GPU is there, or not Linux).
    WebKitDefault,
    /// The person set the variable: theirs is kept.
    PersonChose,
}

static CHOSEN: OnceLock<Drawing> = OnceLock::new();

/// Sets the drawing path for this machine. Call it first thing, before GTK or any other thread
/// starts: the environment is read by WebKit when the window opens, and written here.
pub fn choose() {
    #[cfg(target_os = "linux")]
    let drawing = decide(
        has_render_node(),
        std::env::var_os(DISABLE_DMABUF).is_some(),
    );
    #[cfg(not(target_os = "linux"))]
    let drawing = Drawing::WebKitDefault;
    if drawing == Drawing::CpuForNoGpu {
        std::env::set_var(DISABLE_DMABUF, "1");
    }
    let _ = CHOSEN.set(drawing);
}

/// One line for the About box: how the window draws and why.
pub fn described() -> String {
    match CHOSEN.get().copied().unwrap_or(Drawing::WebKitDefault) {
        Drawing::CpuForNoGpu => format!(
            "On the CPU: this machine has no GPU render node, and WebKit's GPU path would draw \
             through software GL, which is slower ({DISABLE_DMABUF}=0 keeps it)."
        ),
        Drawing::WebKitDefault => "As WebKit chooses (with the GPU where there is one).".into(),
        Drawing::PersonChose => format!(
            "As you set it: {DISABLE_DMABUF}={}.",
            std::env::var(DISABLE_DMABUF).unwrap_or_default()
        ),
    }
}

/// The drawing path, given whether a GPU render node exists and whether the person already
/// chose (in either direction).
fn decide(render_node: bool, person_chose: bool) -> Drawing {
    match (render_node, person_chose) {
        (_, true) => Drawing::PersonChose,
        (false, false) => Drawing::CpuForNoGpu,
        (true, false) => Drawing::WebKitDefault,
    }
}

#[cfg(target_os = "linux")]
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri")
        .map(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_machine_without_a_gpu_draws_on_the_cpu_and_the_persons_choice_wins() {
        assert_eq!(decide(false, false), Drawing::CpuForNoGpu);
        assert_eq!(decide(true, false), Drawing::WebKitDefault);
        assert_eq!(decide(false, true), Drawing::PersonChose);
        assert_eq!(decide(true, true), Drawing::PersonChose);
    }
}
