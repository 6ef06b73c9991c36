import Foundation
import YilianCore
import YilianJSON
import YilianServices

/// The printed two-way referral form (双向转诊单, SPEC §9): one self-contained HTML page, A4, with
/// the three parts on cut lines — the stub the sender keeps (存根), the form that travels with
/// the patient (转诊单) and the receipt the receiver sends back (回执). No script, font, image or
/// style sheet is fetched; stored text is escaped and its controls shown as visible escapes.
enum ReferralFormPage {
    static func html(_ form: ReferralForm) -> String {
        let language = Language.current
        let referral = form.referral.json
        let patient = referral["patient"] ?? [:]
        let history = referral["history"]?.items ?? []
        let up = referral["direction"] == "up"
        let department = referral.word("specialty", "specialty")
        let filed = (referral["createdAt"] ?? nil).shortTime
        let filedCell = "<span class=\"time\">\(HTML.escape(filed))</span>"
        // The person who filed, by name when the reader may see it (else the login).
        let filer = history.first.map { $0["actorName"]?.stringValue == nil ? $0.cell("actor") : $0.cell("actorName") } ?? "-"
        let arrived = history.last { $0["action"] == "arrive" }.map { ($0["at"] ?? nil).shortTime }
        let title = language(up ? "form.titleUp" : "form.titleDown")

        let diagnosis = (referral["diagnosis"]?.items ?? []).map { HTML.escape("\($0.cell("code")) \($0.cell("name"))") }.joined(
            separator: "；")
        let emergency = referral["priority"] == "emergency"
        let priority =
            emergency
            ? "<span class=\"mark\">\(HTML.escape(language("form.greenChannel")))</span>"
            : HTML.escape(referral.word("priority", "priority"))
        let patientRows =
            row(
                (language("form.name"), text(patient, "name")), (language("form.sex"), HTML.escape(patient.word("sex", "sex"))),
                (language("form.birthDate"), text(patient, "birthDate")))
            + row(
                (language("form.idNumber"), text(patient, "idNumber")), (language("form.phone"), text(patient, "phone")),
                (language("form.setting"), HTML.escape(referral.word("setting", "setting"))))
        let examinations = (referral["attachments"]?.items ?? []).map { attachment in
            let decided = try? Attachment(json: attachment)
            let recognition = (decided?.recognitionText).map { text in
                decided?.recognition?.recognized == true
                    ? " <span class=\"mark\">\(HTML.escape(text(language)))</span>" : "<br><small>\(HTML.escape(text(language)))</small>"
            }
            return HTML.escape("\(attachment.word("attachment", "kind")) \(attachment.cell("title"))（\(attachment.cell("reference"))）")
                + ((decided?.performanceText).map { "<br><small>\(HTML.escape($0(language)))</small>" } ?? "") + (recognition ?? "")
        }.joined(separator: "<br>")
        let waiting = ["requested", "info_requested", "accepted"].contains(referral.text("status"))
        let appointment = referral["slot"]?.stringValue ?? (waiting ? language("form.notScheduled") : "")
        // The down form: what was done at the higher hospital (the outcome of the referral this
        // one continues) and what comes next.
        let outcome: JSONValue? = up ? nil : (form.parent?.json ?? referral)["outcome"]
        var treatment = ""
        if let outcome, case .object = outcome {
            let days = (outcome["followUpDays"] ?? nil).map { $0 == .null ? "" : language("form.followUpDays", $0.cell) } ?? ""
            treatment =
                wide(language("form.treatment"), text(outcome, "summary"))
                + wide(
                    language("form.outcomeDiagnosis"),
                    (outcome["diagnosis"]?.items ?? []).map { HTML.escape("\($0.cell("code")) \($0.cell("name"))") }.joined(separator: "；"))
                + wide(language("form.recommendation"), HTML.escape(outcome.word("recommendation", "recommendation") + days))
        }
        let number = HTML.escape(language("form.number", referral.cell("id")))
        func heading(_ part: String, _ keeper: String) -> String {
            "<h1>\(HTML.escape(title))<small>\(HTML.escape(language(part)))</small></h1>"
                + "<p class=\"meta\"><span>\(HTML.escape(form.from.name)) → \(HTML.escape(form.to.name))</span><span>\(HTML.escape(language(keeper)))</span><span>\(number)</span></p>"
        }
        let cut = "<div class=\"cut\"><span>✂ \(HTML.escape(language("form.cut")))</span></div>"
        let blank = "<span class=\"blank\"></span>"

        let stub = """
            <section class="part">\(heading("form.stub", "form.stubKeeper"))
            <table>\(patientRows)
            \(row((language("form.toUnit"), HTML.escape("\(form.to.name) \(department)")), (language("form.filed"), filedCell), (language("form.filer"), HTML.escape(filer))))
            \(wide(language("form.diagnosis"), diagnosis))
            \(wide(language("form.reason"), text(referral, "reason")))
            \(wide(language("form.priority"), priority))
            </table></section>
            """
        let travelling = """
            <section class="part">\(heading("form.form", "form.formKeeper"))
            <p class="letter">\(HTML.escape(language("form.to", form.to.name, department)))<br>\(HTML.escape(language(up ? "form.letterUp" : "form.letterDown", patient.cell("name"))))</p>
            <table>\(patientRows)
            \(wide(language("form.diagnosis"), diagnosis))
            \(wide(language("form.summary"), text(referral, "summary")))
            \(wide(language("form.examinations"), examinations))
            \(treatment)
            \(wide(language("form.reason"), text(referral, "reason")))
            \(row((language("form.priority"), priority), (language("form.appointment"), HTML.escape(appointment)), (language("form.filed"), filedCell)))
            \(row((language("form.fromUnit"), HTML.escape(form.from.name)), (language("form.filer"), HTML.escape(filer)), (language("form.alliance"), HTML.escape(referral.cell("alliance")))))
            </table>
            <p class="sign">\(HTML.escape(language("form.doctorSign")))\(blank)<span>\(HTML.escape(language("form.seal", form.from.name)))</span><span>\(HTML.escape(language("form.date")))</span></p>
            </section>
            """
        let arrival = arrived.map(HTML.escape) ?? blank
        let receipt = """
            <section class="part">\(heading("form.receipt", "form.receiptKeeper"))
            <p class="letter">\(HTML.escape(language("form.toHospital", form.from.name)))<br>\(HTML.escape(language("form.receiptText", filed, patient.cell("name"), referral.cell("id"))))\(arrival)\(HTML.escape(language("form.receiptArrived", form.to.name, department)))</p>
            <p class="sign">\(HTML.escape(language("form.receivingDoctor")))\(blank)<span>\(HTML.escape(language("form.seal", form.to.name)))</span><span>\(HTML.escape(language("form.date")))</span></p>
            </section>
            """
        return HTML.page(title: "\(HTML.escape(title)) \(number)", body: [stub, cut, travelling, cut, receipt].joined(separator: "\n"))
    }
}

/// A form's rows: a stored text member (escaped, lines kept), and table rows of label-value
/// pairs, `—` for an empty value.
private func text(_ value: JSONValue?, _ key: String) -> String {
    guard case .string(let text)? = value?[key] else { return "" }
    return HTML.text(text)
}

private func row(_ pairs: (String, String)...) -> String {
    "<tr>" + pairs.map { "<th>\(HTML.escape($0.0))</th><td>\($0.1.isEmpty ? "—" : $0.1)</td>" }.joined() + "</tr>"
}

private func wide(_ label: String, _ value: String) -> String {
    "<tr><th>\(HTML.escape(label))</th><td colspan=\"5\">\(value.isEmpty ? "—" : value)</td></tr>"
}

/// Text for an HTML page: escaped, with controls from stored data shown as visible escapes.
enum HTML {
    static let fonts = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif"

    /// A table of text cells, each escaped.
    static func table(_ headers: [String], _ rows: [[String]]) -> String {
        "<table><thead><tr>" + headers.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>"
            + rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined() + "</tbody></table>"
    }

    /// A printed form's page: A4, the reader's language, nothing fetched. `title` is escaped
    /// already; `body` is the sections.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(Language.current == .zh ? "zh-CN" : "en")"><head><meta charset="utf-8">
        <title>\(title)</title>
        <style>
        @page { size: A4; margin: 10mm 14mm; }
        body { font-family: \(HTML.fonts); font-size: 10pt; color: #000; margin: 0 auto; max-width: 182mm; line-height: 1.45; }
        h1 { font-size: 14pt; text-align: center; margin: 0; }
        h1:lang(zh) { letter-spacing: 0.08em; }
        h1 small { font-size: 10pt; font-weight: normal; margin-left: 1em; letter-spacing: 0; }
        .meta { display: flex; justify-content: space-between; font-size: 9pt; margin: 1mm 0 1.5mm; }
        table { width: 100%; border-collapse: collapse; }
        th, td { border: 0.8pt solid #000; padding: 0.8mm 1.6mm; text-align: left; vertical-align: top; }
        th { font-weight: normal; background: #f0f0f0; white-space: nowrap; width: 11%; }
        .letter { margin: 1mm 0 1.5mm; }
        .sign { display: flex; justify-content: space-between; align-items: flex-end; margin: 2.5mm 0 0; }
        .blank { display: inline-block; min-width: 32mm; border-bottom: 0.8pt solid #000; margin: 0 1mm; }
        .time { white-space: nowrap; }
        .mark { border: 1.2pt solid #b00; color: #b00; padding: 0 1.2mm; font-weight: bold; white-space: nowrap; }
        .cut { border-top: 1pt dashed #444; text-align: center; font-size: 8pt; color: #444; margin: 4mm 0 2mm; height: 0; }
        .cut span { position: relative; top: -0.75em; background: #fff; padding: 0 2mm; }
        section { break-inside: avoid; }
        </style></head><body>
        \(body)
        </body></html>

        """
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// A printed page to `out`, else to standard output (not through the terminal's filter:
    /// the page neutralises stored text its own way).
    /// The page on standard output, or in the file `out`, saying where it is.
    static func emit(_ page: String, to out: String?) throws {
        guard let out else { return FileHandle.standardOutput.write(Data(page.utf8)) }
        try write(page, to: out)
        Terminal.print(Language.current("file.wrote", URL(fileURLWithPath: out).standardizedFileURL.path))
    }

    /// Writes a page (or a picture) to the file `path`.
    static func write(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw YilianError(.invalidParams, Text("file.cannotWrite", path))
        }
    }

    /// Stored text, its line breaks kept as `<br>`.
    static func text(_ text: String) -> String {
        escape(text.visible(keepingLines: true)).replacingOccurrences(of: "\n", with: "<br>")
    }
}

/// The printed consultation opinion (会诊意见单): the question, every expert's opinion and the
/// conclusion, one A4 page, as the referral form is made.
enum ConsultationFormPage {
    static func html(_ consultation: JSONValue, from: Hospital, to: Hospital) -> String {
        let language = Language.current
        let patient = consultation["patient"] ?? [:]
        let title = language("consultationForm.title")
        let number = HTML.escape(language("form.number", consultation.cell("id")))
        let asked = (consultation["createdAt"] ?? nil).shortTime
        let opinions = (consultation["opinions"]?.items ?? []).map { opinion in
            row(
                (language("consultationForm.expert"), HTML.escape(opinion.cell("expert"))),
                (language("consultationForm.recommendation"), HTML.escape(opinion.word("opinionRecommendation", "recommendation"))),
                (language("consultationForm.at"), "<span class=\"time\">\(HTML.escape((opinion["at"] ?? nil).shortTime))</span>"))
                + wide(language("consultation.opinion"), text(opinion, "summary"))
        }.joined()
        let attachments = (consultation["attachments"]?.items ?? []).map { attachment in
            HTML.escape("\(attachment.word("attachment", "kind")) \(attachment.cell("title"))（\(attachment.cell("reference"))）")
        }.joined(separator: "<br>")
        let body = """
            <section class="part"><h1>\(HTML.escape(title))<small>\(HTML.escape(consultation.word("mode", "mode")))</small></h1>
            <p class="meta"><span>\(HTML.escape(from.name)) → \(HTML.escape(to.name))</span><span>\(HTML.escape(consultation.word("consultationStatus", "status")))</span><span>\(number)</span></p>
            <table>\(row((language("form.name"), text(patient, "name")), (language("form.sex"), HTML.escape(patient.word("sex", "sex"))), (language("form.birthDate"), text(patient, "birthDate"))))
            \(row((language("form.idNumber"), text(patient, "idNumber")), (language("consultationForm.from"), HTML.escape(from.name)), (language("consultationForm.asked"), "<span class=\"time\">\(HTML.escape(asked))</span>")))
            \(wide(language("form.diagnosis"), (consultation["diagnosis"]?.items ?? []).map { HTML.escape("\($0.cell("code")) \($0.cell("name"))") }.joined(separator: "；")))
            \(wide(language("consultation.question"), text(consultation, "question")))
            \(wide(language("form.examinations"), attachments))
            \(opinions)
            \(wide(language("consultation.conclusion"), text(consultation, "conclusion")))
            \(consultation["convertedTo"]?.stringValue.map { wide(language("consultation.convertedTo"), HTML.escape($0)) } ?? "")
            </table>
            <p class="sign">\(HTML.escape(language("consultationForm.sign")))<span class="blank"></span><span>\(HTML.escape(language("form.seal", to.name)))</span><span>\(HTML.escape(language("form.date")))</span></p>
            </section>
            """
        return HTML.page(title: "\(HTML.escape(title)) \(number)", body: body)
    }
}
