//! Time-based one-time passwords (RFC 6238: SHA-1, 6 digits, 30 s), as every
//! authenticator app expects, with an SVG QR code for enrolment.

use qrcode::render::svg;
use qrcode::QrCode;
use totp_rs::{Algorithm, Secret, TOTP};

fn totp(secret: &[u8], account: &str, issuer: &str) -> Option<TOTP> {
    TOTP::new(Algorithm::SHA1, 6, 1, 30, secret.to_vec(), Some(issuer.to_string()), account.to_string()).ok()
}

/// A new 160-bit secret.
pub fn new_secret() -> Vec<u8> {
    match Secret::generate_secret().to_bytes() {
        Ok(b) => b,
        Err(_) => {
            let mut b = vec![0u8; 20];
            rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut b);
            b
        }
    }
}

/// Base32 form that users can type into an app by hand.
pub fn secret_base32(secret: &[u8]) -> String {
    Secret::Raw(secret.to_vec()).to_encoded().to_string()
}

/// Reads the base32 form back (for tests and for users who typed it).
pub fn secret_from_base32(text: &str) -> Option<Vec<u8>> {
    Secret::Encoded(text.trim().to_string()).to_bytes().ok()
}

/// Checks a code for `unix_time`, allowing one step of clock drift either way.
pub fn verify_code(secret: &[u8], code: &str, unix_time: u64) -> bool {
    matching_step(secret, code, unix_time).is_some()
}

/// The 30-second time step a code belongs to (within one step of
/// `unix_time`), so the caller can refuse a step that was already used.
pub fn matching_step(secret: &[u8], code: &str, unix_time: u64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret, "x", "rightsdesk")?;
    let step = unix_time / 30;
    [step.saturating_sub(1), step, step + 1].into_iter().find(|s| {
        let expected = t.generate(s * 30);
        subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), code.as_bytes()).into()
    })
}

/// The current code (for tests and for the CLI's self-check).
pub fn current_code(secret: &[u8], unix_time: u64) -> String {
    totp(secret, "x", "rightsdesk").map(|t| t.generate(unix_time)).unwrap_or_default()
}

/// `otpauth://` URL and its QR code as an SVG document.
pub fn enrolment_qr_svg(secret: &[u8], account: &str, issuer: &str) -> Option<(String, String)> {
    // totp-rs refuses ':' in account names; e-mail addresses never contain one.
    let t = totp(secret, &account.replace(':', "_"), issuer)?;
    let url = t.get_url();
    let code = QrCode::new(url.as_bytes()).ok()?;
    let image = code.render::<svg::Color>().min_dimensions(200, 200).quiet_zone(true).build();
    Some((url, image))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_code_verifies_and_drift_is_bounded() {
        let s = new_secret();
        let now = 1_800_000_000;
        let code = current_code(&s, now);
        assert!(verify_code(&s, &code, now));
        assert!(verify_code(&s, &code, now + 30));
        assert!(!verify_code(&s, &code, now + 120));
        assert!(!verify_code(&s, "12a456", now));
        assert_eq!(matching_step(&s, &code, now), Some(now / 30));
        assert_eq!(matching_step(&s, &code, now + 30), Some(now / 30));
    }

    #[test]
    fn base32_round_trip() {
        let s = new_secret();
        assert_eq!(secret_from_base32(&secret_base32(&s)).unwrap(), s);
    }

    #[test]
    fn qr_is_svg() {
        let (url, svg) = enrolment_qr_svg(&new_secret(), "sok@example.org", "rightsdesk").unwrap();
        assert!(url.starts_with("otpauth://totp/"));
        assert!(svg.contains("<svg"));
    }
}
