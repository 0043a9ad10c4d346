//! The PDF and DOCX export of a legal analysis, timed (issue 18's target: a
//! 200-comment analysis as PDF in under 3 s), and written to a folder to be
//! looked at:
//!
//! ```text
//! cargo run --release -p rightsdesk-export --example analysis_export -- [comments] [out-dir]
//! ```
//!
//! The texts are Khmer articles and English and Khmer comments of realistic
//! length. Every run lays out a different document (its rows carry the run's
//! number), so typst's memoization cannot replay an earlier layout; the
//! first run also loads the font, as a server's first export does.

use rightsdesk_export::analysis::{analysis_docx, analysis_pdf, Analysis, AnalysisRow};
use std::time::Instant;

const ARTICLE: &str = "សមាគម ឬអង្គការមិនមែនរដ្ឋាភិបាលក្នុងស្រុកទាំងអស់ត្រូវចុះបញ្ជីនៅក្រសួងមហាផ្ទៃ មុនពេលធ្វើសកម្មភាពណាមួយ។ \
សមាគម ឬអង្គការដែលមិនបានចុះបញ្ជី ត្រូវហាមឃាត់មិនឱ្យធ្វើសកម្មភាព ហើយអាចត្រូវផាកពិន័យជាប្រាក់។";
const CONCERN: &str = "Mandatory registration with broad discretion to refuse, and a ban on unregistered groups, \
restrict freedom of association beyond what article 22(2) permits.";
const RECOMMENDATION: &str = "ធ្វើឱ្យការចុះបញ្ជីជាការស្ម័គ្រចិត្ត ហើយលុបចោលការហាមឃាត់ក្រុមដែលមិនបានចុះបញ្ជី។";

fn analysis(comments: usize, run: usize) -> Analysis {
    Analysis {
        lang: "km".into(),
        title: "សេចក្តីព្រាងច្បាប់ស្តីពីសមាគម និងអង្គការមិនមែនរដ្ឋាភិបាល".into(),
        subtitle: "LANGO — Draft law on associations and non-governmental organisations".into(),
        kind: "ការវិភាគផ្នែកច្បាប់".into(),
        facts: vec![
            ("ដំណាក់កាល".into(), "ទីស្តីការគណៈរដ្ឋមន្ត្រី (៥ មីនា ២០២៦)".into()),
            ("ក្រសួងផ្តួចផ្តើម".into(), "ក្រសួងមហាផ្ទៃ".into()),
            ("មន្ត្រីច្បាប់ទទួលបន្ទុក".into(), "Sok Dara".into()),
        ],
        versions_heading: "កំណែ".into(),
        versions: vec![
            ["First draft".into(), "៥ មករា ២០២៦".into(), "Ministry of Interior website".into()],
            ["Council of Ministers".into(), "១ មីនា ២០២៦".into(), "Shared by the Council of Ministers".into()],
        ],
        summary_heading: "ចម្លើយរបស់រាជរដ្ឋាភិបាល".into(),
        summary: format!("យោបល់ចំនួន {comments}; ចំនួន ១២ ត្រូវបានទទួលយកទាំងស្រុង ឬមួយផ្នែក"),
        table_heading: "យោបល់តាមមាត្រានីមួយៗ".into(),
        columns: [
            "មាត្រា និងអត្ថបទ".into(),
            "កង្វល់".into(),
            "ស្តង់ដារ".into(),
            "ការកែប្រែដែលបានផ្តល់អនុសាសន៍".into(),
            "ចម្លើយរបស់រាជរដ្ឋាភិបាល".into(),
        ],
        rows: (1..=comments)
            .map(|i| AnalysisRow {
                article: format!("មាត្រា {i} · ធ្ងន់ធ្ងរ · {run}"),
                text: ARTICLE.into(),
                concern: format!("{CONCERN} ({run}.{i})"),
                standard: "Freedom of association\nICCPR art. 22; UPR A/HRC/56/7 para. 110.45".into(),
                recommendation: RECOMMENDATION.into(),
                response: if i % 3 == 0 {
                    "បានទទួលយកមួយផ្នែក (២ មេសា ២០២៦)".into()
                } else {
                    "—".into()
                },
            })
            .collect(),
        page: "ទំព័រ".into(),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let comments: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let out = args.next().map(std::path::PathBuf::from);
    let mut pdf_times = vec![];
    let mut pdf = vec![];
    for run in 0..6 {
        let a = analysis(comments, run);
        let t = Instant::now();
        pdf = analysis_pdf(&a).expect("the PDF");
        pdf_times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let a = analysis(comments, 6);
    let t = Instant::now();
    let docx = analysis_docx(&a).expect("the DOCX");
    let docx_ms = t.elapsed().as_secs_f64() * 1000.0;
    let warm = &mut pdf_times[1..].to_vec();
    warm.sort_by(f64::total_cmp);
    println!(
        "{comments} comments: PDF first {:.0} ms, then median {:.0} ms, max {:.0} ms ({} kB); DOCX {:.0} ms ({} kB)",
        pdf_times[0],
        warm[warm.len() / 2],
        warm[warm.len() - 1],
        pdf.len() / 1024,
        docx_ms,
        docx.len() / 1024
    );
    if let Some(dir) = out {
        std::fs::create_dir_all(&dir).expect("the folder");
        std::fs::write(dir.join("analysis.pdf"), &pdf).expect("write");
        std::fs::write(dir.join("analysis.docx"), &docx).expect("write");
        println!("written to {}", dir.display());
    }
}
