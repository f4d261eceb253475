//! The words people read for the codes the API sends: every status, kind and decision in
//! zh-CN and English, once. Documents, exports, alert titles and the apps' screens all say a
//! code through `Label`, so a person never reads `home_visit` or `needs_review`, and a code
//! reads the same on every screen and paper. Each table is an exhaustive `match`: a new
//! variant does not compile until it has its words.

use crate::api::QueueKind;
use crate::error::Lang;
use crate::model::{
    AlertKind, AlertSeverity, AlertState, AuditAction, CaseStatus, CheckinRequestStatus,
    DeviceStatus, FenceKind, HelpKind, InvestigationOpinion, InvestigationStatus, LeaveReason,
    LeaveStatus, LocationProvider, RequestStatus, RiskFactor, Role, SentenceKind, SupervisionLevel,
    TeamMemberKind, UnitKind, UserStatus,
};
use crate::policy::assessment::{AssessmentFact, AssessmentGrade};
use crate::policy::checkin::{CheckinReason, CheckinResult};
use crate::policy::help::HelpStatus;
use crate::policy::learning::{
    CourseCategory, CourseStatus, CreditSource, FaceCheckStatus, LessonKind, Obligation,
    QuizAttemptStatus, ReflectionStatus, StudySessionStatus,
};
use crate::policy::lecture::{AttendanceMark, AttendanceMethod};
use crate::policy::level::ApprovalLevel;
use crate::policy::liveness::Pose;
use crate::policy::quiz::QuestionKind;
use crate::policy::requests::VisitorRelation;
use crate::policy::rollcall::{RollCallReason, RollCallStatus};
use crate::policy::sanctions::{Sanction, SanctionStatus, TagGround, TagOrderStatus};
use crate::policy::schedule::NotCounted;
use crate::policy::service::{ActivityStatus, ParticipationStatus, PresenceProof, ServiceKind};
use crate::policy::transitions::LeaveAction;
use crate::policy::visits::VisitKind;

/// A code with words for people.
pub trait Label: Copy {
    /// The words in Chinese and in English.
    fn words(self) -> (&'static str, &'static str);

    /// The words in `lang`.
    fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = self.words();
        match lang {
            Lang::ZhCn => zh,
            Lang::En => en,
        }
    }

    /// The Chinese words (documents are written in Chinese).
    fn zh(self) -> &'static str {
        self.words().0
    }
}

/// One table per vocabulary: `Variant: "中文", "English";`. Also lists every entry for the
/// tests (`every_label`).
macro_rules! labels {
    ($($t:ident { $($v:ident: $zh:literal, $en:literal;)+ })+) => {
        $(impl Label for $t {
            fn words(self) -> (&'static str, &'static str) {
                match self { $(Self::$v => ($zh, $en),)+ }
            }
        })+

        /// Every vocabulary with its codes and words: `(vocabulary, code, zh, en)`.
        pub fn every_label() -> Vec<(&'static str, &'static str, &'static str, &'static str)> {
            vec![$($((stringify!($t), $t::$v.as_str(), $zh, $en),)+)+]
        }
    };
}

labels! {
    Role {
        SystemAdmin: "系统管理员", "System administrator";
        SecurityAdmin: "安全管理员", "Security administrator";
        AuditAdmin: "审计管理员", "Audit administrator";
        Officer: "社区矫正工作人员", "Officer";
        Volunteer: "志愿者", "Volunteer";
        Supervisee: "社区矫正对象", "Supervisee";
    }
    UnitKind {
        Province: "省级社区矫正机构", "Province";
        City: "市级社区矫正机构", "City";
        CountyAgency: "县级社区矫正机构", "County agency";
        JudicialOffice: "司法所", "Judicial office";
    }
    SentenceKind {
        Probation: "缓刑", "Probation";
        Parole: "假释", "Parole";
        Surveillance: "管制", "Public surveillance";
        MedicalParole: "暂予监外执行", "Medical parole";
    }
    CaseStatus {
        PreIntake: "待入矫", "Awaiting intake";
        Active: "在矫", "Under supervision";
        Released: "已解除矫正", "Released";
        Revoked: "已撤销（收监执行）", "Revoked";
        Terminated: "矫正终止", "Terminated";
        Absconded: "脱管", "Absconded";
    }
    SupervisionLevel {
        Strict: "严管", "Strict";
        Normal: "普管", "Normal";
        Lenient: "宽管", "Lenient";
    }
    TeamMemberKind {
        Officer: "社区矫正工作人员", "Officer";
        Volunteer: "志愿者", "Volunteer";
        SocialWorker: "社会工作者", "Social worker";
        Family: "家庭成员", "Family member";
        Employer: "所在单位", "Employer";
    }
    RiskFactor {
        EmotionalConflict: "情感纠纷", "Emotional conflict";
        EconomicDispute: "经济纠纷", "Economic dispute";
        NoJob: "无业", "No job";
        FamilyCrisis: "家庭变故", "Family crisis";
        SeriousIllness: "重大疾病", "Serious illness";
        UnusualPersonality: "性格异常", "Unusual personality";
    }
    HelpKind {
        Visit: "走访", "Visit";
        Talk: "谈心谈话", "Talk";
        PhoneCall: "电话帮教", "Phone call";
        EmploymentHelp: "就业帮扶", "Help finding work";
        FamilyMediation: "家庭调解", "Family mediation";
        Education: "教育帮扶", "Education";
        PsychologicalSupport: "心理疏导", "Psychological support";
    }
    VisitorRelation {
        Victim: "被害人", "Victim";
        Complainant: "控告人", "Complainant";
        Informant: "举报人", "Informant";
        Accomplice: "同案犯", "Accomplice";
        Other: "其他人员", "Someone else";
    }
    QueueKind {
        Leave: "请假审批", "Leave to decide";
        Relocation: "居住地变更审批", "Move to decide";
        Consultation: "迁入征求意见", "Move in: your opinion";
        Visitor: "会客审批", "Visitor to approve";
        Alert: "待处理预警", "Alert to look at";
        Checkin: "签到复核", "Check-in to review";
        RollCall: "视频点名复核", "Roll call to review";
        Reflection: "学习心得批阅", "Reflection to read";
        QuizAttempt: "测验批改", "Quiz answers to mark";
        Sanction: "处罚审批", "Sanction to decide";
        HelpSession: "帮扶记录确认", "Help session to confirm";
        Device: "手机绑定审核", "Phone to approve";
        Unknown: "其他待办", "Other work";
    }
    DeviceStatus {
        Pending: "待审核", "Awaiting approval";
        Approved: "已通过", "Approved";
        Revoked: "已停用", "Revoked";
        Unknown: "其他", "Other";
    }
    InvestigationStatus {
        Requested: "已委托", "Requested";
        OpinionFiled: "已出具意见", "Opinion filed";
        Unknown: "其他", "Other";
    }
    InvestigationOpinion {
        Suitable: "适宜社区矫正", "Suitable";
        Unsuitable: "不适宜社区矫正", "Unsuitable";
    }
    UserStatus {
        Active: "正常", "Active";
        Disabled: "已停用", "Disabled";
    }
    LeaveStatus {
        Draft: "草稿", "Draft";
        Submitted: "待审批", "Awaiting approval";
        Approved: "已批准", "Approved";
        Rejected: "未批准", "Rejected";
        Cancelled: "已撤回", "Cancelled";
        Active: "外出中", "Away";
        Returned: "已销假", "Returned";
        Overdue: "逾期未归", "Overdue";
        Unknown: "其他", "Other";
    }
    LeaveReason {
        Medical: "就医", "Medical";
        Family: "家庭事务", "Family";
        Work: "工作", "Work";
        Study: "学习", "Study";
        Legal: "诉讼", "Legal matters";
        Other: "其他事由", "Other";
        Withheld: "不予显示", "Not shown";
    }
    RequestStatus {
        Submitted: "待审批", "Awaiting approval";
        Approved: "已批准", "Approved";
        Rejected: "未批准", "Rejected";
        Cancelled: "已撤回", "Cancelled";
        Recorded: "已备案", "Recorded";
        Unknown: "其他", "Other";
    }
    AlertKind {
        CheckinFailed: "人脸签到未通过", "Check-in failed";
        CheckinNeedsReview: "人脸签到待复核", "Check-in needs review";
        CheckinMissed: "未按时签到", "Check-in missed";
        LeaveOverdue: "请假逾期未归", "Late back from leave";
        OutsideActivityArea: "越出活动区域", "Outside the activity area";
        InExclusionZone: "进入禁止区域", "Inside an exclusion zone";
        MockLocation: "疑似虚拟定位", "Suspected fake location";
        ImpossibleSpeed: "位置移动速度异常", "Impossible speed";
        LocationSilence: "长时间无位置信息", "No location for too long";
        RollCallMissed: "视频点名未应答", "Roll call missed";
        RollCallFailed: "视频点名未通过", "Roll call failed";
        RollCallNeedsReview: "视频点名待复核", "Roll call needs review";
        LearningShortfall: "教育学习时长不足", "Education hours short";
        LearningOverdue: "学习任务逾期", "Course overdue";
        StudyFaceCheckFailed: "学习人脸核验未通过", "Study face check failed";
        StudyWithoutFace: "学习时未见本人", "Studied without a face";
        HelpRiskFlagged: "帮教发现风险", "Risk noted while helping";
        ServiceShortfall: "公益活动时长不足", "Community service hours short";
        ServiceCheckoutMissing: "公益活动未签退", "Service check-out missing";
        TagOrderExpiring: "电子定位装置使用期限将满", "Location tag order ending";
        VisitOverdue: "走访逾期", "Visit overdue";
        VisitRiskFlagged: "走访发现风险", "Risk noted on a visit";
        Unknown: "其他预警", "Other alert";
    }
    FenceKind {
        ActivityArea: "活动区域", "Activity area";
        ExclusionZone: "禁止进入区域", "Exclusion zone";
    }
    LocationProvider {
        Gps: "卫星定位", "GPS";
        Network: "网络定位", "Network";
        Fused: "融合定位", "Fused";
        Passive: "被动定位", "Passive";
        Other: "其他方式", "Other";
    }
    AlertSeverity {
        Low: "低", "Low";
        Medium: "中", "Medium";
        High: "高", "High";
        Critical: "紧急", "Critical";
        Unknown: "其他", "Other";
    }
    AlertState {
        Open: "待处理", "Open";
        Acknowledged: "已确认", "Acknowledged";
        Resolved: "已处理", "Resolved";
        Withdrawn: "已撤销", "Withdrawn";
        Unknown: "其他", "Other";
    }
    CheckinRequestStatus {
        Open: "待签到", "Waiting";
        Met: "已签到", "Met";
        Missed: "未签到", "Missed";
        Unknown: "其他", "Other";
    }
    CheckinResult {
        Passed: "通过", "Passed";
        Failed: "未通过", "Failed";
        NeedsReview: "待复核", "Needs review";
        Unknown: "其他", "Other";
    }
    CheckinReason {
        FaceMismatch: "人脸与登记照片不符", "The face does not match the enrolled one";
        FaceInconclusive: "人脸比对结果不确定，由工作人员核对", "The face match is uncertain: an officer compares";
        ReplayedPhoto: "照片与以前提交的相同", "The photo was sent before";
        MockLocation: "手机使用了虚拟定位", "The phone used a fake location";
        LivenessUnchecked: "未能现场核验动作", "Nothing showed the face was live";
        StaleFix: "位置信息过旧", "The location is too old";
        InaccurateFix: "位置信息不够精确", "The location is too imprecise";
        OutsideArea: "不在活动区域内", "Outside the activity area";
        Unknown: "其他原因", "Other";
    }
    LeaveAction {
        Submit: "提交申请", "Submit";
        Cancel: "撤回申请", "Withdraw";
        Approve: "批准", "Approve";
        Reject: "不批准", "Reject";
        Depart: "报告出发", "Report leaving";
        Return: "销假", "Report back";
        Extend: "申请续假", "Ask for more days";
        MarkOverdue: "记录逾期未归", "Mark overdue";
    }
    ApprovalLevel {
        JudicialOffice: "司法所", "Judicial office";
        CountyAgency: "县级社区矫正机构", "County agency";
        City: "市级社区矫正机构", "City agency";
    }
    AssessmentFact {
        CheckinMissed: "未按时签到", "Check-in missed";
        CheckinFailed: "人脸签到未通过", "Check-in failed";
        RollCallMissed: "视频点名未应答", "Roll call missed";
        RollCallFailed: "视频点名未通过", "Roll call failed";
        OutsideActivityArea: "越出活动区域", "Outside the activity area";
        InExclusionZone: "进入禁止区域", "Inside an exclusion zone";
        LocationSilence: "长时间无位置信息", "No location for too long";
        MockLocation: "疑似虚拟定位", "Suspected fake location";
        LeaveOverdue: "请假逾期未归", "Late back from leave";
        OfficeReportMissed: "未按时到司法所报到", "Office report missed";
        EducationShort: "教育学习时长不足", "Education hours short";
        ServiceShort: "公益活动时长不足", "Community service hours short";
        RiskFlagged: "发现风险", "Risk noted";
    }
    AssessmentGrade {
        Good: "表现良好", "Good";
        Passed: "合格", "Passed";
        Failed: "不合格", "Failed";
    }
    HelpStatus {
        Logged: "待确认", "Awaiting confirmation";
        Confirmed: "已确认", "Confirmed";
        Returned: "已退回", "Returned";
        Unknown: "其他", "Other";
    }
    CourseCategory {
        Law: "法治教育", "Law";
        Psychology: "心理健康", "Psychology";
        Vocational: "职业技能", "Vocational skills";
        DrugPrevention: "禁毒教育", "Drug prevention";
        Warning: "警示教育", "Warning cases";
        EntryExit: "出入境管理", "Entry and exit";
        Unknown: "其他", "Other";
    }
    CourseStatus {
        Draft: "草稿", "Draft";
        Published: "已发布", "Published";
        Archived: "已归档", "Archived";
        Unknown: "其他", "Other";
    }
    LessonKind {
        Video: "视频", "Video";
        Audio: "音频", "Audio";
        Text: "图文", "Text";
        Pdf: "PDF 文档", "PDF";
        Quiz: "测验", "Quiz";
        Unknown: "其他", "Other";
    }
    ReflectionStatus {
        Submitted: "待批阅", "Submitted";
        Accepted: "已通过", "Accepted";
        Returned: "已退回", "Returned";
        Unknown: "其他", "Other";
    }
    QuizAttemptStatus {
        Open: "作答中", "In progress";
        AwaitingReview: "待评阅", "Awaiting review";
        Scored: "已评分", "Scored";
        Unknown: "其他", "Other";
    }
    StudySessionStatus {
        Open: "学习中", "Studying";
        Ended: "已结束", "Ended";
        Superseded: "已由新学习接续", "Superseded";
        Voided: "已作废", "Voided";
        Unknown: "其他", "Other";
    }
    FaceCheckStatus {
        Scheduled: "待核验", "Scheduled";
        Asked: "核验中", "Asked";
        Passed: "已通过", "Passed";
        Failed: "未通过", "Failed";
        Missed: "未核验", "Missed";
        Unknown: "其他", "Other";
    }
    CreditSource {
        Lesson: "在线学习", "Online lesson";
        Lecture: "集中教育", "Lecture";
        Adjustment: "人工调整", "Adjustment";
        Service: "公益活动", "Community service";
        Unknown: "其他", "Other";
    }
    Obligation {
        Education: "教育学习", "Education";
        CommunityService: "公益活动", "Community service";
        Unknown: "其他", "Other";
    }
    AttendanceMark {
        Present: "出席", "Present";
        Late: "迟到", "Late";
        Excused: "请假", "Excused";
        Absent: "缺席", "Absent";
        Unknown: "其他", "Other";
    }
    AttendanceMethod {
        Code: "签到码", "Code";
        Face: "人脸", "Face";
        Officer: "工作人员登记", "Marked by officer";
        Unknown: "其他", "Other";
    }
    Pose {
        Straight: "正视镜头", "Look straight";
        TurnLeft: "向左转头", "Turn left";
        TurnRight: "向右转头", "Turn right";
    }
    QuestionKind {
        Single: "单选题", "Single choice";
        Multiple: "多选题", "Multiple choice";
        TrueFalse: "判断题", "True or false";
        ShortText: "简答题", "Short answer";
        Unknown: "其他", "Other";
    }
    RollCallStatus {
        Scheduled: "待呼叫", "Scheduled";
        Ringing: "呼叫中", "Ringing";
        Answered: "已接听", "Answered";
        Verifying: "核验中", "Verifying";
        Passed: "通过", "Passed";
        Failed: "未通过", "Failed";
        NeedsReview: "待复核", "Needs review";
        Missed: "未应答", "Missed";
        Excused: "已免除", "Excused";
        Unknown: "其他", "Other";
    }
    RollCallReason {
        FaceMismatch: "人脸不符", "Face does not match";
        FaceInconclusive: "人脸无法判定", "Face inconclusive";
        NoFace: "未见人脸", "No face seen";
        PoseNotShown: "未做出提示的动作", "Pose not shown";
        PoseUnprompted: "动作早于提示", "Pose before the prompt";
        Unknown: "其他", "Other";
    }
    Sanction {
        Commendation: "表扬", "Commendation";
        Admonition: "训诫", "Admonition";
        Warning: "警告", "Warning";
        PolicePenaltyReferral: "提请治安管理处罚", "Referral for a police penalty";
        RevocationRecommendation: "提请撤销缓刑、假释", "Recommendation to revoke";
        ReturnToPrisonRecommendation: "提请收监执行", "Recommendation to return to prison";
        Unknown: "其他", "Other";
    }
    SanctionStatus {
        Proposed: "已提请", "Proposed";
        Approved: "已批准", "Approved";
        Rejected: "未批准", "Rejected";
        Acknowledged: "已告知本人", "Acknowledged";
        Unknown: "其他", "Other";
    }
    TagGround {
        ProhibitionOrderBreached: "违反人民法院禁止令", "Prohibition order breached";
        LeftWithoutApproval: "无正当理由未经批准离开所居住的市、县", "Left without approval";
        WarnedForNotReporting: "拒不按照规定报告自己的活动情况，被给予警告", "Warned for not reporting";
        PolicePenaltyGiven: "违反监督管理规定，被给予治安管理处罚", "Police penalty given";
        RevocationPending: "拟提请撤销缓刑、假释或者暂予监外执行收监执行", "Revocation pending";
    }
    TagOrderStatus {
        Ordered: "使用中", "In use";
        Ended: "已解除", "Ended";
        Unknown: "其他", "Other";
    }
    NotCounted {
        NotPassed: "签到未通过", "Not passed";
        BeforeHours: "早于签到时段", "Before the hours";
        AfterHours: "晚于签到时段", "After the hours";
        Unknown: "其他", "Other";
    }
    ServiceKind {
        Cleaning: "清洁卫生", "Cleaning";
        ElderlyCare: "敬老助老", "Elderly care";
        TrafficHelp: "交通劝导", "Traffic help";
        Environment: "环境保护", "Environment";
        CommunityHelp: "社区服务", "Community help";
        PartnerPlacement: "基地服务", "Partner placement";
        Unknown: "其他", "Other";
    }
    ParticipationStatus {
        SignedUp: "已报名", "Signed up";
        CheckedIn: "已签到", "Checked in";
        CheckedOut: "已签退", "Checked out";
        Confirmed: "已确认", "Confirmed";
        Incomplete: "未完成", "Incomplete";
        NoShow: "缺席", "No show";
        Withdrawn: "已退出", "Withdrawn";
        Unknown: "其他", "Other";
    }
    PresenceProof {
        Face: "人脸", "Face";
        Code: "签到码", "Code";
        Unknown: "其他", "Other";
    }
    ActivityStatus {
        Scheduled: "待开展", "Scheduled";
        Cancelled: "已取消", "Cancelled";
        Closed: "已结束", "Closed";
        Unknown: "其他", "Other";
    }
    VisitKind {
        HomeVisit: "实地走访", "Home visit";
        Talk: "谈话教育", "Talk";
        OfficeReport: "到司法所报到", "Office report";
    }
    AuditAction {
        AlertAcknowledged: "确认预警", "Alert acknowledged";
        AlertResolved: "处理预警", "Alert resolved";
        AlertWithdrawn: "撤销预警", "Alert withdrawn";
        AssessmentConfirmed: "确认月度考核", "Assessment confirmed";
        AuditQueried: "查询审计日志", "Audit log queried";
        AuditVerified: "校验审计日志", "Audit log verified";
        AuthLockedOut: "账号锁定", "Account locked";
        AuthLoggedIn: "登录", "Signed in";
        AuthLoggedOut: "退出登录", "Signed out";
        AuthLoginFailed: "登录失败", "Sign-in failed";
        AuthPasswordChanged: "修改密码", "Password changed";
        AuthPasswordReissued: "重置密码", "Password reset";
        AuthRefreshReused: "登录凭证被重复使用", "Refresh token reused";
        AuthRefreshed: "续期登录", "Session refreshed";
        BiometricsPurged: "清除人脸数据", "Face data purged";
        CaseAnnounced: "入矫宣告", "Announced";
        CaseCreated: "建立档案", "Case created";
        CaseExported: "导出案件清单", "Cases exported";
        CaseFileExported: "导出档案", "Case file exported";
        CaseLevelChanged: "调整管理等级", "Level changed";
        CaseListed: "查询案件", "Cases listed";
        CaseLoginIssued: "开通登录", "Login issued";
        CaseRead: "查阅档案", "Case read";
        CaseReleaseCertificateRead: "查阅解除矫正证明书", "Release certificate read";
        CaseReleased: "解除矫正", "Released";
        CaseStatusChanged: "变更矫正状态", "Status changed";
        CaseTransferred: "变更执行地", "Case transferred";
        CheckinMissed: "记录未按时签到", "Check-in missed";
        CheckinPhotoRead: "查看签到照片", "Check-in photo viewed";
        CheckinRequestMissed: "签到要求未完成", "Check-in request missed";
        CheckinRequested: "要求即时签到", "Check-in requested";
        CheckinSubmitted: "人脸签到", "Checked in";
        CheckinReviewed: "复核人脸签到", "Check-in reviewed";
        CheckinTriesRestored: "恢复签到次数", "Check-in tries restored";
        CourseArchived: "归档课程", "Course archived";
        CourseAssigned: "布置课程", "Course assigned";
        CourseCreated: "创建课程", "Course created";
        CoursePublished: "发布课程", "Course published";
        DemoSeeded: "载入演示数据", "Demo data loaded";
        DeviceApproved: "审核通过手机", "Phone approved";
        DeviceRegistered: "登记手机", "Phone registered";
        DeviceRevoked: "停用手机", "Phone revoked";
        FaceEnrolled: "采集人脸", "Face enrolled";
        FaceDuplicateSuspected: "疑似重复人脸", "Duplicate face suspected";
        FenceArchived: "停用电子围栏", "Fence archived";
        FenceCreated: "设置电子围栏", "Fence created";
        FenceUpdated: "修改电子围栏", "Fence updated";
        HelpCertificateIssued: "出具帮教证明", "Help certificate issued";
        HelpSessionConfirmed: "确认帮教记录", "Help session confirmed";
        HelpSessionReturned: "退回帮教记录", "Help session returned";
        ServiceRecordRead: "查阅服务记录", "Service record read";
        InvestigationCreated: "委托调查评估", "Investigation requested";
        InvestigationListed: "查询调查评估", "Investigations listed";
        InvestigationOpinionFiled: "出具调查评估意见", "Opinion filed";
        InvestigationRead: "查阅调查评估", "Investigation read";
        LeaveApproved: "批准请假", "Leave approved";
        LeaveAttachmentAdded: "上传请假材料", "Leave document added";
        LeaveAttachmentRead: "查阅请假材料", "Leave document read";
        LeaveCancelled: "撤回请假", "Leave cancelled";
        LeaveCreated: "提出请假", "Leave requested";
        LeaveDeparted: "请假外出", "Departed on leave";
        LeaveExtensionRequested: "申请续假", "Extension requested";
        LeaveMarkedOverdue: "记录逾期未归", "Marked overdue";
        LeaveRejected: "不批准请假", "Leave rejected";
        LeaveReturned: "销假", "Returned from leave";
        LeaveSubmitted: "提交请假", "Leave submitted";
        LearningAdjusted: "调整学习时长", "Learning adjusted";
        LearningXapiExported: "导出学习记录", "Learning records exported";
        LectureCreated: "安排集中教育", "Lecture scheduled";
        LectureMarked: "登记集中教育出勤", "Lecture attendance marked";
        LocationPositionsRead: "查看实时位置", "Positions viewed";
        LocationTrackRead: "查看轨迹", "Track viewed";
        PlanUpdated: "修改矫正方案", "Plan updated";
        QuizGraded: "评阅测验", "Quiz graded";
        QuizSubmitted: "提交测验", "Quiz submitted";
        RelocationApproved: "批准变更执行地", "Relocation approved";
        RelocationCancelled: "撤回变更执行地申请", "Relocation cancelled";
        RelocationConsulted: "征求新执行地意见", "Relocation consulted";
        RelocationCreated: "申请变更执行地", "Relocation requested";
        RelocationRejected: "不批准变更执行地", "Relocation rejected";
        ReflectionReviewed: "批阅思想汇报", "Reflection reviewed";
        RollCallAnswered: "接听视频点名", "Roll call answered";
        RollCallDecided: "视频点名核验完成", "Roll call decided";
        RollCallExcused: "免除视频点名", "Roll call excused";
        RollCallMissed: "视频点名未应答", "Roll call missed";
        RollCallReviewed: "复核视频点名", "Roll call reviewed";
        RollCallSnapshotRead: "查看点名截图", "Roll call snapshot viewed";
        RollCallRecordingRead: "查看点名录像", "Roll call recording viewed";
        RollCallWatched: "旁观视频点名", "Roll call watched";
        RollCallStarted: "发起视频点名", "Roll call started";
        SanctionAcknowledged: "告知奖惩决定", "Sanction acknowledged";
        SanctionApproved: "批准奖惩", "Sanction approved";
        SanctionDocumentRead: "查阅奖惩决定书", "Sanction document read";
        SanctionProposed: "提请奖惩", "Sanction proposed";
        SanctionRejected: "不批准奖惩", "Sanction rejected";
        SensitivePeriodDeclared: "设置敏感时期", "Sensitive period declared";
        ServiceActivityCancelled: "取消公益活动", "Service activity cancelled";
        ServiceActivityCreated: "安排公益活动", "Service activity created";
        ServiceParticipantAssigned: "安排参加公益活动", "Service participant assigned";
        ServiceParticipationConfirmed: "确认公益活动时长", "Service participation confirmed";
        ServiceParticipationCorrected: "更正公益活动时长", "Service participation corrected";
        TagOrderEnded: "解除电子定位装置", "Location tag ended";
        TagOrdered: "决定使用电子定位装置", "Location tag ordered";
        TeamMemberAdded: "加入矫正小组", "Team member added";
        TeamMemberRemoved: "退出矫正小组", "Team member removed";
        UnitCreated: "设立单位", "Unit created";
        UserCreated: "创建账号", "Account created";
        UserDisabled: "停用账号", "Account disabled";
        UserEnabled: "启用账号", "Account enabled";
        UserUnlocked: "解除锁定", "Account unlocked";
        VisitPhotoAdded: "上传走访照片", "Visit photo added";
        VisitPhotoRead: "查看走访照片", "Visit photo viewed";
        VisitRecorded: "记录走访", "Visit recorded";
        VisitorApproved: "批准会客", "Visitor approved";
        VisitorCancelled: "撤回会客申请", "Visitor cancelled";
        VisitorCreated: "申请会客", "Visitor requested";
        VisitorRejected: "不批准会客", "Visitor rejected";
    }
}

impl Label for crate::policy::sanctions::Gravity {
    fn words(self) -> (&'static str, &'static str) {
        use crate::policy::sanctions::Gravity;
        match self {
            Gravity::Minor => ("情节轻微", "Minor"),
            Gravity::Serious => ("情节较重", "Serious"),
            Gravity::Grave => ("情节严重", "Grave"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn every_word_is_there_and_says_one_thing_in_its_vocabulary() {
        let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
        for (vocabulary, code, zh, en) in every_label() {
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{code}");
            assert!(
                !zh.contains('_') && !en.contains('_'),
                "{code}: a code as words"
            );
            assert!(
                !zh.is_ascii() || zh == en,
                "{vocabulary}.{code}: the Chinese words are not Chinese"
            );
            for word in [zh, en] {
                if let Some(other) = seen.insert((vocabulary, word), code) {
                    panic!("{vocabulary}: {other} and {code} both read {word}");
                }
            }
        }
    }

    #[test]
    fn a_code_reads_in_the_language_asked() {
        assert_eq!(VisitKind::HomeVisit.label(Lang::ZhCn), "实地走访");
        assert_eq!(VisitKind::HomeVisit.label(Lang::En), "Home visit");
        assert_eq!(AlertKind::Unknown.zh(), "其他预警");
        assert_eq!(SentenceKind::MedicalParole.zh(), "暂予监外执行");
    }
}
