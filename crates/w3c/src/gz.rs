//! Opening a log file: plain or gzip, told apart by the gzip magic bytes
//! rather than by the file name. Feeds [`crate::line::LineReader`].

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use flate2::read::MultiGzDecoder;

/// A byte source for one log file.
pub type Source = Box<dyn Read + Send>;

/// True when the file starts with the gzip magic `1f 8b`.
pub fn is_gzip(path: &Path) -> io::Result<bool> {
    let mut magic = [0u8; 2];
    let mut file = File::open(path)?;
    let mut got = 0;
    while got < 2 {
        let n = file.read(&mut magic[got..])?;
        if n == 0 {
            return Ok(false);
        }
        got += n;
    }
    Ok(magic == [0x1f, 0x8b])
}

/// Opens `path` for reading from byte `offset` of its (decompressed)
/// content. Plain files seek; gzip files only open from 0 (`offset` must be
/// 0 for them: appended tails are a plain-file notion).
pub fn open(path: &Path, offset: u64) -> io::Result<Source> {
    if is_gzip(path)? {
        if offset != 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "cannot resume a gzip file in the middle",
            ));
        }
        let file = File::open(path)?;
        return Ok(Box::new(MultiGzDecoder::new(BufReader::with_capacity(
            256 * 1024,
            file,
        ))));
    }
    let mut file = File::open(path)?;
    if offset > 0 {
        file.seek(SeekFrom::Start(offset))?;
    }
    Ok(Box::new(file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn gzip_is_detected_by_content_and_decompressed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plain-name.log");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"#Version: 1.0\n").unwrap();
        std::fs::write(&path, enc.finish().unwrap()).unwrap();
        assert!(is_gzip(&path).unwrap());
        let mut text = String::new();
        open(&path, 0).unwrap().read_to_string(&mut text).unwrap();
        assert_eq!(text, "#Version: 1.0\n");
        assert!(open(&path, 3).is_err());
    }
}
