//! OpenSSH P-256 private keys whose private scalar is shorter than 32 bytes.
//!
//! OpenSSH writes the scalar as an SSH `mpint`, which drops leading zero bytes, so about one
//! P-256 key in 512 that `ssh-keygen` makes carries a 31-byte scalar. `ssh-key` 0.6 reads
//! exactly 32 bytes there and refuses such a key as "length invalid" (RustCrypto/SSH#350).
//! Only when it does, the private section is read here, the scalar padded back to 32 bytes,
//! and the key accepted only if that scalar gives the key's public point.

use base64ct::Encoding;
use p256::elliptic_curve::sec1::ToEncodedPoint;
use ssh_key::private::{EcdsaKeypair, KeypairData};
use ssh_key::PrivateKey;

const MAGIC: &[u8] = b"openssh-key-v1\0";
const BEGIN: &str = "-----BEGIN OPENSSH PRIVATE KEY-----";
const END: &str = "-----END OPENSSH PRIVATE KEY-----";

/// An unencrypted key that `ssh-key` refused, from the file's text.
pub fn plain(text: &str) -> Option<PrivateKey> {
    let body = text.trim().strip_prefix(BEGIN)?.strip_suffix(END)?;
    let body: String = body.split_whitespace().collect();
    let der = zeroize::Zeroizing::new(base64ct::Base64::decode_vec(&body).ok()?);
    let mut r = Wire(der.strip_prefix(MAGIC)?);
    let (cipher, _kdf, _kdf_options) = (r.string()?, r.string()?, r.string()?);
    if cipher != b"none" || r.u32()? != 1 {
        return None;
    }
    let _public = r.string()?;
    private_section(r.string()?)
}

/// An encrypted key whose decryption `ssh-key` refused: `None` also for a wrong passphrase,
/// which the check numbers at the start of the private section expose.
pub fn decrypt(key: &PrivateKey, passphrase: &[u8]) -> Option<PrivateKey> {
    let (k, iv) = key.kdf().derive_key_and_iv(key.cipher(), passphrase).ok()?;
    let mut buffer = zeroize::Zeroizing::new(key.key_data().encrypted()?.to_vec());
    // AEAD ciphers need the tag, which `ssh-key` keeps to itself; `ssh-keygen` encrypts with
    // aes256-ctr, which has none.
    key.cipher().decrypt(&k, &iv, &mut buffer, None).ok()?;
    private_section(&buffer)
}

/// `checkint checkint "ecdsa-sha2-nistp256" "nistp256" Q d comment padding`.
fn private_section(bytes: &[u8]) -> Option<PrivateKey> {
    let mut r = Wire(bytes);
    if r.u32()? != r.u32()? || r.string()? != b"ecdsa-sha2-nistp256" || r.string()? != b"nistp256" {
        return None;
    }
    let public = r.string()?;
    let scalar = r.string()?;
    let comment = std::str::from_utf8(r.string()?).ok()?;
    let digits = &scalar[scalar.iter().position(|&b| b != 0).unwrap_or(scalar.len())..];
    if digits.len() > 32 {
        return None;
    }
    let mut padded = zeroize::Zeroizing::new([0u8; 32]);
    padded[32 - digits.len()..].copy_from_slice(digits);
    let secret = p256::SecretKey::from_slice(&padded[..]).ok()?;
    let point = secret.public_key().to_encoded_point(false);
    if point.as_bytes() != public {
        return None;
    }
    let keypair = EcdsaKeypair::NistP256 { public: point, private: secret.into() };
    PrivateKey::new(KeypairData::Ecdsa(keypair), comment).ok()
}

/// SSH wire format: big-endian `u32`s and length-prefixed strings.
struct Wire<'a>(&'a [u8]);

impl<'a> Wire<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }
    fn string(&mut self) -> Option<&'a [u8]> {
        let n = self.u32()?;
        self.take(usize::try_from(n).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made by `ssh-keygen -t ecdsa -b 256`, kept because its scalar is 31 bytes long; the
    // second is the same key with the passphrase `correct horse` (`ssh-keygen -p`).
    const SHORT: &str = include_str!("../tests/keys/p256-short-scalar");
    const SHORT_ENCRYPTED: &str = include_str!("../tests/keys/p256-short-scalar-encrypted");
    const SHORT_PUBLIC: &str = include_str!("../tests/keys/p256-short-scalar.pub");

    #[test]
    fn ssh_key_still_refuses_the_short_scalar() {
        // When this fails, `ssh-key` reads these keys itself and this module can go.
        assert!(PrivateKey::from_openssh(SHORT).is_err());
        let encrypted = PrivateKey::from_openssh(SHORT_ENCRYPTED).unwrap();
        assert!(encrypted.decrypt("correct horse").is_err());
    }

    #[test]
    fn short_scalars_are_read_with_their_public_key() {
        let public = ssh_key::PublicKey::from_openssh(SHORT_PUBLIC).unwrap();
        let key = plain(SHORT).unwrap();
        assert_eq!(key.public_key().key_data(), public.key_data());
        assert_eq!(key.comment(), "short");
        let encrypted = PrivateKey::from_openssh(SHORT_ENCRYPTED).unwrap();
        let key = decrypt(&encrypted, b"correct horse").unwrap();
        assert_eq!(key.public_key().key_data(), public.key_data());
        assert!(decrypt(&encrypted, b"wrong").is_none());
    }

    #[test]
    fn a_scalar_that_does_not_give_the_public_point_is_refused() {
        let body: String =
            SHORT.trim().strip_prefix(BEGIN).unwrap().strip_suffix(END).unwrap().split_whitespace().collect();
        let mut der = base64ct::Base64::decode_vec(&body).unwrap();
        // The scalar's last byte sits just before the comment's length and text.
        let at = der.windows(5).rposition(|w| w == b"short").unwrap() - 5;
        der[at] ^= 1;
        let pem = format!("{BEGIN}\n{}\n{END}\n", base64ct::Base64::encode_string(&der));
        assert!(plain(&pem).is_none());
        der[at] ^= 1;
        let pem = format!("{BEGIN}\n{}\n{END}\n", base64ct::Base64::encode_string(&der));
        assert!(plain(&pem).is_some(), "the same text, unaltered, reads");
        assert!(plain("not a key").is_none());
    }
}
