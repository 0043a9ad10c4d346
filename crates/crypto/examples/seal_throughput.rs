//! What sealing evidence files costs (issue 14), against what storing them
//! cost before: hashing with SHA-256 (done on every upload and download
//! anyway). Side by side in one run, in memory, so disk speed does not blur
//! it:
//!
//!   cargo run --release -p rightsdesk-crypto --example seal_throughput [MiB]
//!
//! Prints MiB/s for SHA-256 alone, SHA-256 + sealing (an upload), and
//! opening + SHA-256 (a download), and the ratios to SHA-256 alone.

use rightsdesk_crypto::{Keyring, SEALED_HEADER_LEN};
use sha2::Digest;
use std::time::Instant;

fn main() {
    let mib: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(256);
    let data: Vec<u8> = (0..mib * 1024 * 1024).map(|i| (i as u32).wrapping_mul(2_654_435_761) as u8).collect();
    let keys = Keyring::generate("bench");
    let piece = 64 * 1024; // what the upload stream hands over at a time
    let rate = |secs: f64| mib as f64 / secs;
    let best = |f: &dyn Fn() -> Vec<u8>| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed().as_secs_f64()
            })
            .fold(f64::MAX, f64::min)
    };
    let hash_only = best(&|| sha2::Sha256::digest(&data).to_vec());
    let upload = best(&|| {
        let mut h = sha2::Sha256::new();
        let mut s = keys.file_sealer();
        let mut out = s.header().to_vec();
        for p in data.chunks(piece) {
            h.update(p);
            out.extend(s.update(p));
        }
        out.extend(s.finish());
        out
    });
    let sealed = keys.seal_file(&data);
    let download = best(&|| {
        let mut h = sha2::Sha256::new();
        let mut o = keys.file_opener(&sealed[..SEALED_HEADER_LEN]).unwrap();
        for p in sealed[SEALED_HEADER_LEN..].chunks(piece) {
            h.update(o.update(p).unwrap());
        }
        h.update(o.finish().unwrap());
        h.finalize().to_vec()
    });
    println!("{mib} MiB in memory, best of 3, 1 thread");
    println!("| work | MiB/s | time relative to SHA-256 alone |");
    println!("|---|---|---|");
    println!("| SHA-256 alone (before sealing) | {:.0} | 1.00 |", rate(hash_only));
    println!("| upload: SHA-256 + seal | {:.0} | {:.2} |", rate(upload), upload / hash_only);
    println!("| download: open + SHA-256 | {:.0} | {:.2} |", rate(download), download / hash_only);
    println!(
        "size overhead: {} bytes on {} ({:.3} %)",
        sealed.len() - data.len(),
        data.len(),
        100.0 * (sealed.len() - data.len()) as f64 / data.len() as f64
    );
}
