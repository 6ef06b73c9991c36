extension Catalogue {
    /// 简体中文: as coordinators in Chinese hospitals say it (转诊单, 接诊, 待预约, 已到诊, 绿色通道).
    public static let zh: [String: String] = [
        // Referral statuses, actions and fields.
        "status.requested": "待接诊", "status.info_requested": "待补充资料", "status.accepted": "已接诊待预约",
        "status.rejected": "已拒绝", "status.scheduled": "已预约", "status.in_treatment": "已到诊", "status.no_show": "未到诊",
        "status.completed": "诊疗完成", "status.closed": "已闭环", "status.cancelled": "已取消", "status.expired": "已失效",
        "action.file": "发起转诊", "action.accept": "接诊", "action.reject": "拒绝", "action.requestInfo": "要求补充资料",
        "action.provideInfo": "补充资料", "action.redirect": "改转", "action.schedule": "预约", "action.reschedule": "改约",
        "action.arrive": "到诊", "action.noShow": "未到诊", "action.complete": "完成诊疗", "action.acknowledge": "确认回执",
        "action.cancel": "取消", "action.escalate": "超时升级", "action.expire": "超时失效",
        "priority.routine": "普通", "priority.urgent": "加急", "priority.emergency": "绿色通道",
        "setting.outpatient": "门诊", "setting.inpatient": "住院",
        "direction.up": "上转", "direction.down": "下转",
        "sex.male": "男", "sex.female": "女", "sex.unknown": "未知",
        "rejectReason.capacity_full": "接诊能力已满", "rejectReason.outside_scope": "超出诊疗范围",
        "rejectReason.insufficient_information": "资料不足", "rejectReason.patient_declined": "患者拒绝",
        "rejectReason.not_indicated": "无转诊指征", "rejectReason.other": "其他原因",
        "recommendation.down_refer": "下转继续治疗", "recommendation.follow_up": "定期随访", "recommendation.discharge": "结束治疗",
        "attachment.lab": "检验", "attachment.imaging": "影像", "attachment.document": "文书",
        "duty.coordinator": "转诊协调员", "duty.physician": "医师", "duty.hospital_admin": "医院管理员", "duty.auditor": "审计员",
        "duty.integration": "系统对接", "duty.platform_admin": "平台管理员",

        // A referral's line, card and timeline.
        "referral.line": "{1} {2} {3} → {4}，{5}{6}，{7}", "referral.then": "，{1}", "referral.filed": "已发起转诊：{1}",
        "detail.date": "日期 {1}", "detail.previousDate": "原日期 {1}", "detail.to": "转往 {1}", "detail.previousTo": "原接收医院 {1}",
        "detail.escalation": "第 {1} 次升级",
        "worklist.size": "（{1}）",
        "referral.overdue": "（已超时）",
        "referral.appointment": "预约 {1}",
        "referral.respondBy": "{1} 前应答",
        "show.referral": "转诊单", "show.alliance": "医联体", "show.patient": "患者", "show.phone": "联系电话",
        "show.patientLine": "{1}，{2}，{3} 出生，身份证 {4}",
        "show.diagnosis": "诊断", "show.reason": "转诊原因", "show.summary": "病情摘要", "show.attachments": "附件",
        "show.recognized": "（互认）", "show.respondBy": "应答时限", "show.appointment": "预约日期", "show.version": "版本",
        "show.fhirStatus": "FHIR 状态", "show.escalation": "超时升级次数", "show.outcome": "诊疗结果", "show.outcomeLine": "诊疗结果：{1} → {2}", "show.continues": "延续自",
        "show.continuedBy": "后续转诊", "show.episode": "转诊全程", "show.created": "发起时间", "show.updated": "更新时间",
        "timeline.seq": "序号", "timeline.at": "时间", "timeline.action": "操作", "timeline.from": "原状态", "timeline.to": "新状态",
        "timeline.by": "操作人", "timeline.note": "说明",
        "list.id": "编号", "list.direction": "方向", "list.from": "转出医院", "list.to": "接收医院", "list.priority": "紧急程度",
        "list.patient": "患者", "list.status": "状态", "list.when": "应答时限/预约日期",
        "list.nothing": "没有找到记录。", "list.more": "更多：--cursor {1}",
        "yes": "是", "no": "否",

        // Worklist.
        "worklist.title": "{1} 工作台",
        "section.incoming": "待接诊", "section.overdue": "已超时", "section.toSchedule": "待预约", "section.expected": "待到诊",
        "section.inTreatment": "诊治中", "section.toAcknowledge": "待确认回执", "section.outgoing": "本院转出",
        "worklist.count": "{1} 条", "worklist.cut": "前 {1} 条，共 {2} 条",

        // Sweep.
        "sweep.result": "超时升级 {1} 条，失效 {2} 条。",
    ]
}
