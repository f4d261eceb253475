//! Stable machine error codes with their HTTP status and human messages in zh-CN and English.
//!
//! The code string is the contract (apps switch on it); messages may be reworded.

use serde::{Deserialize, Serialize};

/// The language of human-readable messages, chosen from `Accept-Language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    /// Picks the first supported language from an `Accept-Language` header value, honouring
    /// q-values; Chinese is the default for an absent or unsupported header.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(header) = header else {
            return Lang::default();
        };
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag.starts_with("zh") {
                Lang::ZhCn
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }
}

/// A message for a person in both languages the API speaks (a field problem's `message`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said {
    pub en: std::borrow::Cow<'static, str>,
    pub zh: std::borrow::Cow<'static, str>,
}

impl Said {
    pub fn new(
        en: impl Into<std::borrow::Cow<'static, str>>,
        zh: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Said {
        Said {
            en: en.into(),
            zh: zh.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::ZhCn => &self.zh,
        }
    }
}

impl From<ErrorCode> for Said {
    fn from(code: ErrorCode) -> Said {
        Said::new(code.message(Lang::En), code.message(Lang::ZhCn))
    }
}

macro_rules! error_codes {
    ($($variant:ident = ($code:literal, $status:literal, $en:literal, $zh:literal)),+ $(,)?) => {
        /// Every error the API can return. `code()` is stable across releases.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum ErrorCode { $($variant),+ }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code),+ }
            }

            pub fn http_status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status),+ }
            }

            pub fn message(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((ErrorCode::$variant, Lang::En) => $en,
                      (ErrorCode::$variant, Lang::ZhCn) => $zh,)+
                }
            }

            pub fn from_code(code: &str) -> Option<ErrorCode> {
                match code { $($code => Some(ErrorCode::$variant),)+ _ => None }
            }
        }
    };
}

error_codes! {
    MalformedJson = ("request.malformed_json", 400, "The request body is not valid JSON.", "请求体不是有效的 JSON。"),
    InvalidField = ("request.invalid_field", 422, "A field is missing or has an invalid value.", "有字段缺失或取值无效。"),
    BodyTooLarge = ("request.body_too_large", 413, "The request body is too large.", "请求体过大。"),
    UnsupportedMediaType = ("request.unsupported_media_type", 415, "The request must be sent as application/json.", "请求须以 application/json 格式发送。"),
    InvalidQuery = ("request.invalid_query", 400, "A query parameter is invalid.", "查询参数无效。"),
    InvalidPath = ("request.invalid_path", 404, "Nothing is at this address: an identifier in the URL is not valid.", "该地址不存在：URL 中的标识无效。"),
    RequestTimeout = ("request.timeout", 408, "The request took too long and was stopped.", "请求处理超时，已中止。"),

    InvalidCredentials = ("auth.invalid_credentials", 401, "Wrong user name or password.", "用户名或密码错误。"),
    AccountLocked = ("auth.account_locked", 423, "Too many failed logins: the account is locked for a while.", "登录失败次数过多，账户已暂时锁定。"),
    AccountDisabled = ("auth.account_disabled", 403, "This account is disabled.", "该账户已停用。"),
    TokenMissing = ("auth.token_missing", 401, "Sign in first: no access token was sent.", "请先登录：未携带访问令牌。"),
    TokenInvalid = ("auth.token_invalid", 401, "The access token is invalid.", "访问令牌无效。"),
    TokenExpired = ("auth.token_expired", 401, "The access token has expired; refresh it.", "访问令牌已过期，请刷新。"),
    SessionRevoked = ("auth.session_revoked", 401, "This session has ended; sign in again.", "会话已结束，请重新登录。"),
    RefreshInvalid = ("auth.refresh_invalid", 401, "The refresh token is invalid or expired; sign in again.", "刷新令牌无效或已过期，请重新登录。"),
    RefreshReused = ("auth.refresh_reused", 401, "A refresh token was used twice; all sessions of that sign-in were ended for safety.", "刷新令牌被重复使用，为安全起见该登录的所有会话已结束。"),
    DeviceRequired = ("auth.device_required", 400, "The supervisee app must send its device id.", "矫正对象端须提供设备标识。"),
    DevicePending = ("auth.device_pending", 403, "This phone is not yet approved; ask your officer to approve it.", "此手机尚未获批，请联系矫正工作人员审批。"),
    DeviceMismatch = ("auth.device_mismatch", 403, "This token belongs to another device.", "该令牌属于其他设备。"),
    PasswordWeak = ("auth.password_weak", 422, "The password needs 10 to 128 characters from at least three of: lower case, upper case, digits, symbols.", "密码须为 10 至 128 位，且至少包含小写字母、大写字母、数字、符号中的三类。"),
    PasswordWrong = ("auth.password_wrong", 403, "The current password is wrong.", "当前密码不正确。"),
    PasswordChangeRequired = ("auth.password_change_required", 403, "The password was reset: choose a new one before anything else.", "密码已重置，请先设置新密码。"),
    StaffPasswordOnly = ("user.reset_by_officer", 422, "A supervisee's login is reset by an officer of their case.", "矫正对象的账户密码由其案件的工作人员重置。"),

    Forbidden = ("access.forbidden", 403, "You are not allowed to do this.", "您无权执行此操作。"),
    NotFound = ("resource.not_found", 404, "Not found.", "未找到。"),
    Conflict = ("resource.conflict", 409, "The record was changed by someone else; reload and try again.", "记录已被他人修改，请刷新后重试。"),

    UnitParentInvalid = ("org.parent_invalid", 422, "A unit of this kind cannot be placed under that parent.", "该类型的单位不能设在所选上级之下。"),
    UsernameTaken = ("user.username_taken", 409, "That user name is already taken.", "该用户名已被占用。"),
    UnitRequired = ("user.unit_required", 422, "Officers, volunteers and supervisees must belong to a unit.", "工作人员、志愿者和矫正对象必须隶属于一个单位。"),
    RoleNotAllowed = ("user.role_not_allowed", 422, "Supervisee accounts are issued from their case, not created directly.", "矫正对象账户须从其案件中开通，不能直接创建。"),

    NationalIdInvalid = ("case.national_id_invalid", 422, "The national identity number is not valid.", "身份证号码无效。"),
    NationalIdDuplicate = ("case.national_id_duplicate", 409, "A case with this identity number is already open.", "该身份证号已有在矫案件。"),
    CaseDatesInvalid = ("case.dates_invalid", 422, "The supervision end date must be after the start date.", "矫正结束日期须晚于开始日期。"),
    CaseTransitionInvalid = ("case.transition_invalid", 409, "The case cannot move to that status from its current one.", "案件不能从当前状态变更为该状态。"),
    CaseClosed = ("case.closed", 409, "The case is closed and archived read-only.", "案件已结束并归档，只读。"),
    CaseTermNotEnded = ("case.term_not_ended", 409, "The term has not ended: a person is released on its last day or after (law art. 44).", "矫正期限未满，期满之日起方可解除社区矫正（社区矫正法第四十四条）。"),
    CaseReleaseNeedsCounty = ("case.release_needs_county", 403, "Release, with its certificate, is decided by the county community-corrections agency (law art. 44).", "解除社区矫正及其证明书由县级社区矫正机构办理（社区矫正法第四十四条）。"),
    CaseNotActive = ("case.not_active", 409, "The case must be announced (active) first.", "须先完成入矫宣告（在矫状态）。"),
    NoAppLogin = ("case.no_app_login", 409, "The supervisee has no app login yet; issue one first (the case's login).", "该矫正对象尚未开通手机端账户，请先为其开通。"),
    LoginAlreadyIssued = ("case.login_already_issued", 409, "An app login has already been issued for this case.", "该案件已开通手机端账户。"),
    LevelUnchanged = ("case.level_unchanged", 409, "The case is already at that supervision level.", "案件已处于该管理等级。"),
    PlanVersionConflict = ("plan.version_conflict", 409, "The correction plan changed since you loaded it; reload and try again.", "矫正方案已被修改，请刷新后重试。"),
    TeamMemberInvalid = ("team.member_invalid", 422, "A team member who is a user must have the matching role and unit.", "矫正小组成员的账户角色或单位不匹配。"),
    DeviceTransitionInvalid = ("device.transition_invalid", 409, "This phone is not in a state that allows this (already approved, or already revoked); reload the list.", "该手机当前状态不允许此操作（已批准或已停用），请刷新。"),
    UserTransitionInvalid = ("user.transition_invalid", 409, "This account is already in that state (enabled or disabled); reload it.", "该账号已处于该状态（已启用或已停用），请刷新。"),
    InvestigationAlreadyFiled = ("investigation.already_filed", 409, "An opinion has already been filed for this investigation.", "该调查评估已出具意见。"),

    LeaveDatesInvalid = ("leave.dates_invalid", 422, "The leave must start today or later and end on or after its first day.", "外出须从今天或以后开始，且结束日期不早于开始日期。"),
    LeaveNoticeTooShort = ("leave.notice_too_short", 422, "Apply at least 3 days before leaving, or mark the request urgent with a reason.", "须至少提前 3 日申请外出；紧急情况请标注为紧急并说明理由。"),
    LeaveNeedsCountyApproval = ("leave.needs_county_approval", 403, "This leave must be decided by the county community-corrections agency.", "该外出申请须由县级社区矫正机构审批。"),
    LeaveNeedsCityApproval = ("leave.needs_city_approval", 403, "This leave must be decided one level above the county agency (city).", "该外出申请须报县级社区矫正机构的上一级（市级）审批。"),
    LeaveTransitionInvalid = ("leave.transition_invalid", 409, "The request is not in a state that allows this; reload it.", "申请当前状态不允许此操作，请刷新。"),
    LeaveTooFarAhead = ("leave.too_far_ahead", 422, "A leave is applied for at most the jurisdiction's window ahead (90 days by default); apply nearer the time.", "外出申请最早只能提前规定期限（默认 90 日）提出，请临近时再申请。"),
    LeaveBeyondTerm = ("leave.beyond_term", 422, "A leave must end within the term of community corrections.", "外出须在社区矫正期限内结束。"),
    LeaveDepartureOutsideDates = ("leave.departure_outside_dates", 409, "Departure is reported on the leave's dates (from the day before its first day); apply again for other dates.", "须在获批外出期间（最早为首日前一天）报告出发；其他日期请重新申请。"),
    LeaveReturnNeedsCheckin = ("leave.return_needs_checkin", 409, "Report back with a face check-in first (销假 needs one from the last hours).", "销假前请先完成人脸签到（须为近几小时内的签到）。"),
    LeaveOverlaps = ("leave.overlaps", 409, "Another leave already covers some of these days.", "该时段已有其他外出申请。"),

    RelocationNoticeTooShort = ("relocation.notice_too_short", 422, "Apply for a change of residence at least a month before moving.", "变更执行地须至少提前一个月申请。"),
    RelocationConsultationRequired = ("relocation.consultation_required", 409, "The agency of the new place has not agreed yet; it must be consulted first.", "须先征求新执行地社区矫正机构意见并获同意。"),
    RelocationNeedsCounty = ("relocation.needs_county", 403, "A change of residence is decided by the county community-corrections agency, which also consults the new place (measures art. 30).", "变更执行地由县级社区矫正机构征求新执行地意见并决定（实施办法第三十条）。"),
    RelocationSameUnit = ("relocation.same_unit", 422, "The new place is under the same unit; update the residence instead.", "新住所仍属本单位，请直接变更居住地址。"),
    RequestTransitionInvalid = ("request.transition_invalid", 409, "The request is not in a state that allows this; reload it.", "申请当前状态不允许此操作，请刷新。"),

    NotEnrolled = ("checkin.not_enrolled", 409, "No face is enrolled for this case yet; the officer enrols it at intake.", "该案件尚未采集人脸，请由工作人员在入矫时采集。"),
    ChallengeInvalid = ("checkin.challenge_invalid", 409, "The check-in code is unknown, used, expired or for another phone; start the check-in again.", "签到码无效、已使用、已过期或不属于本机，请重新开始签到。"),
    LoginThrottled = ("auth.too_many_attempts", 429, "Too many failed sign-ins from this network; try again later.", "此网络登录失败次数过多，请稍后再试。"),
    TooManyAttempts = ("checkin.too_many_attempts", 429, "Too many failed check-ins today; contact your officer.", "今日签到失败次数过多，请联系矫正工作人员。"),
    CheckinTransitionInvalid = ("checkin.transition_invalid", 409, "Only a check-in waiting for review can be accepted or rejected; reload it.", "只有待复核的签到才能认定通过或不通过，请刷新。"),
    CheckinTriesExhausted = ("checkin.tries_exhausted", 409, "The supervisee has used all of today's check-in tries and could not answer; reset their tries first.", "该矫正对象今日签到次数已用完，无法响应；请先重置其签到次数。"),
    FaceUnavailable = ("checkin.face_unavailable", 503, "Face verification is not available on this server right now.", "服务器暂时无法进行人脸核验。"),
    AlertTransitionInvalid = ("alert.transition_invalid", 409, "The alert is not in a state that allows this; reload it.", "预警当前状态不允许此操作，请刷新。"),

    LocationBatchReused = ("location.batch_id_reused", 409, "This batch id was already used for other location reports; send the batch with a new id.", "该批次编号已用于其他定位上报，请使用新编号重新发送。"),
    FenceArchived = ("fence.archived", 409, "The fence has been removed; reload the list.", "该电子围栏已删除，请刷新列表。"),

    ImageInvalid = ("image.invalid", 422, "The file is not a JPEG or PNG photo, or it is damaged.", "文件不是 JPEG 或 PNG 照片，或已损坏。"),
    ImageTooLarge = ("image.too_large", 413, "The photo is too large (at most 25 megapixels and 20 MB).", "照片过大（最多 2500 万像素、20 MB）。"),
    FaceNotFound = ("face.not_found", 422, "No face was found in the photo.", "照片中未检测到人脸。"),
    FaceMultiple = ("face.multiple", 422, "More than one face is in the photo; only you should be in it.", "照片中有多张人脸，请确保只有本人。"),
    FaceTooSmall = ("face.too_small", 422, "The face is too small; hold the phone closer.", "人脸过小，请将手机靠近一些。"),
    FaceTooBlurry = ("face.too_blurry", 422, "The photo is blurred; hold still and try again.", "照片模糊，请保持稳定后重试。"),
    FaceTooDark = ("face.too_dark", 422, "The face is too dark; find more light.", "人脸过暗，请到光线充足处。"),
    FaceOverexposed = ("face.overexposed", 422, "The face is overexposed; avoid direct light.", "人脸过曝，请避免强光直射。"),
    FaceCutOff = ("face.cut_off", 422, "The face is cut off by the edge of the photo.", "人脸被照片边缘截断。"),
    FaceReferenceCount = ("face.reference_count", 422, "Enrolment takes 1 to 5 reference photos.", "人脸采集需要 1 至 5 张参考照片。"),
    FaceReferencesDiffer = ("face.references_differ", 422, "The reference photos are not all of the same person.", "参考照片不是同一个人。"),
    LivenessFrameCount = ("liveness.frame_count", 422, "Send one photo for each pose the check-in code asked for.", "请按签到码要求的每个动作各拍一张照片。"),
    LivenessPoseNotMet = ("liveness.pose_not_met", 422, "A photo does not show the head pose asked for; follow the instructions and try again.", "照片中的头部动作与要求不符，请按提示重新拍摄。"),
    RollCallTransitionInvalid = ("rollcall.transition_invalid", 409, "The roll call is not in a state that allows this; reload it.", "视频点名当前状态不允许此操作，请刷新。"),
    RollCallAlreadyOpen = ("rollcall.already_open", 409, "This person already has a roll call open.", "该人员已有进行中的视频点名。"),
    RollCallDeadlinePassed = ("rollcall.deadline_passed", 409, "The time to answer this roll call has passed; it is recorded as missed.", "视频点名应答时间已过，已记录为未应答。"),
    RollCallNotLive = ("rollcall.not_live", 409, "This roll call has no live video now.", "该视频点名当前没有实时画面。"),
    RollCallOfferInvalid = ("rollcall.offer_invalid", 422, "The call could not be set up: the app sent no video the server can take (VP8 or H.264).", "无法建立通话：应用未提供服务器可接收的视频（VP8 或 H.264）。"),
    CourseTransitionInvalid = ("learning.course_transition_invalid", 409, "The course is not in a state that allows this; reload it.", "课程当前状态不允许此操作，请刷新。"),
    CourseAuthorLevel = ("learning.author_level", 403, "Courses are authored by a county agency or a unit above it.", "课程须由县级社区矫正机构或上级单位编写。"),
    StudySessionEnded = ("learning.session_ended", 409, "This study session has ended (another device opened the lesson, or it was closed); open the lesson again.", "本次学习已结束（其他设备打开了课程或已关闭），请重新打开课程。"),
    LessonNotTimed = ("learning.lesson_not_timed", 422, "A quiz is not studied by time; take it as a quiz.", "测验不按学习时长计，请作答测验。"),
    NotAQuiz = ("learning.not_a_quiz", 422, "This lesson is not a quiz.", "该课程不是测验。"),
    QuizAttemptsExhausted = ("learning.attempts_exhausted", 409, "No attempts are left for this quiz.", "该测验的作答次数已用完。"),
    QuizAttemptSubmitted = ("learning.attempt_submitted", 409, "This attempt has already been submitted.", "本次作答已提交。"),
    LessonMediaInvalid = ("learning.media_invalid", 422, "This file is not what the lesson takes: a video lesson takes MP4 or WebM, an audio lesson MP3 or M4A, a PDF lesson a PDF; text and quiz lessons take no file.", "文件与课程类型不符：视频课程须为 MP4 或 WebM，音频课程须为 MP3 或 M4A，PDF 课程须为 PDF，文字课程和测验不能上传文件。"),
    QuizNotAwaitingReview = ("learning.not_awaiting_review", 409, "This attempt has no written answer waiting for a grade (not submitted yet, or already graded).", "本次作答没有待评分的简答（尚未提交或已评分）。"),
    ReflectionTransitionInvalid = ("learning.reflection_transition_invalid", 409, "This reflection cannot be changed now: it is waiting for review or was accepted; reload it.", "该观后感当前不能修改：正在等待审阅或已通过，请刷新。"),
    LectureNotOpen = ("lecture.not_open", 409, "Attendance for this lecture is not open now: it opens shortly before the start and closes at the end.", "该集中学习现在不能签到：开始前不久开放，结束时关闭。"),
    LectureCodeExpired = ("lecture.code_expired", 422, "This code has expired; scan the code on the officer's screen now.", "该签到码已过期，请扫描工作人员屏幕上当前的二维码。"),
    LectureCodeWrong = ("lecture.code_wrong", 422, "This is not this lecture's code; scan the code shown at the lecture you are at.", "该签到码不属于本次集中学习，请扫描现场展示的二维码。"),
    LectureOutsideVenue = ("lecture.outside_venue", 422, "Your phone's location is not at the lecture's venue; check in on site.", "手机定位不在集中学习地点，请到现场签到。"),
    LectureFixUnusable = ("lecture.fix_unusable", 422, "Your phone's location cannot be used (mock location, too old or too imprecise); turn on GPS and try again outside or near a window.", "手机定位无法使用（模拟定位、过旧或精度不足），请开启 GPS 后在室外或窗边重试。"),
    LectureFaceNotPassed = ("lecture.face_not_passed", 422, "The face check-in given did not pass, or is not recent; check in with your face again at the lecture.", "所附人脸签到未通过或已过时，请在集中学习现场重新进行人脸签到。"),
    HelpTransitionInvalid = ("help.transition_invalid", 409, "This help session cannot be changed now: it was confirmed, or is waiting for the unit; reload it.", "该帮教记录当前不能修改：已确认或正在等待单位确认，请刷新。"),
    HelpIdTaken = ("help.id_taken", 409, "Another help session already has this id; the app must make a new one.", "该编号已被另一条帮教记录使用，请由应用重新生成。"),
    HelpNotOver = ("help.not_over", 422, "A help session is logged once it is over: its start plus its minutes is later than now.", "帮教结束后才能记录：开始时间加时长晚于当前时间。"),
    HelpTooOld = ("help.too_old", 422, "This help session began more than 31 days ago: it can no longer be logged.", "该帮教开始于 31 天以前，已不能补记。"),
    CertificateNumberInvalid = ("certificate.number_invalid", 422, "This is not a certificate number: it reads like ZY-2026-XXXXXXXXXXXX-C (letters and digits as printed).", "这不是证书编号：编号形如 ZY-2026-XXXXXXXXXXXX-C（按证书所印字母和数字输入）。"),
    CertificateCheckMismatch = ("certificate.check_mismatch", 422, "The check character does not match: a character of the number was mistyped; compare it with the certificate again.", "校验位不符：编号中有字符输入错误，请对照证书重新输入。"),
    HelpTooManyLookups = ("help.too_many_lookups", 429, "Too many certificate numbers that do not exist were tried from this network; try again later.", "此网络查询不存在的证明编号次数过多，请稍后再试。"),
    HelpNothingToCertify = ("help.nothing_to_certify", 422, "No confirmed help in these months: there is nothing to certify.", "所选月份内没有已确认的帮教时长，无法出具证明。"),
    ActivityFull = ("activity.full", 409, "This activity is full; choose another one.", "该公益活动名额已满，请选择其他活动。"),
    ActivitySignUpClosed = ("activity.sign_up_closed", 409, "Sign-up for this activity has closed: it has begun.", "该公益活动已开始，报名已截止。"),
    ActivityCancelled = ("activity.cancelled", 409, "This activity was cancelled; see the reason on it.", "该公益活动已取消，请查看取消原因。"),
    ActivityCancelTooLate = ("activity.cancel_too_late", 409, "This activity has begun: it can no longer be cancelled; correct the minutes of each person instead.", "该公益活动已开始，不能再取消，请逐人更正时长。"),
    ActivityNotOpen = ("activity.not_open", 409, "Checking in or out of this activity is not open now: it opens shortly before the start and closes soon after the end.", "该公益活动现在不能签到或签退：开始前不久开放，结束后不久关闭。"),
    ActivityNotSignedUp = ("activity.not_signed_up", 409, "You are not signed up for this activity.", "您未报名该公益活动。"),
    ActivityTransitionInvalid = ("activity.transition_invalid", 409, "Not possible now: check in before checking out, and confirm only what was checked out or flagged; reload it.", "当前无法执行：须先签到再签退，只能确认已签退或被标记的记录，请刷新。"),
    ActivityCodeExpired = ("activity.code_expired", 422, "This code has expired; scan the code on the organiser's screen now.", "该签到码已过期，请扫描组织者屏幕上当前的二维码。"),
    ActivityCodeWrong = ("activity.code_wrong", 422, "This is not this activity's code; scan the code shown at the activity you are at.", "该签到码不属于本次公益活动，请扫描现场展示的二维码。"),
    ActivityOutsidePlace = ("activity.outside_place", 422, "Your phone's location is not at the activity's place; check in and out on site.", "手机定位不在公益活动地点，请在现场签到、签退。"),
    ActivityFixUnusable = ("activity.fix_unusable", 422, "Your phone's location cannot be used (mock location, too old or too imprecise); turn on GPS and try again outside or near a window.", "手机定位无法使用（模拟定位、过旧或精度不足），请开启 GPS 后在室外或窗边重试。"),
    ActivityFaceNotPassed = ("activity.face_not_passed", 422, "The face check-in given did not pass, or is not recent; check in with your face again on site.", "所附人脸签到未通过或已过时，请在现场重新进行人脸签到。"),
    SanctionNeedsCounty = ("sanction.needs_county", 403, "Rewards and sanctions are decided by the county community-corrections agency; a judicial office proposes them.", "奖惩由县级社区矫正机构决定，司法所只能提出建议。"),
    SanctionTransitionInvalid = ("sanction.transition_invalid", 409, "This sanction cannot be changed now: it was already decided or acknowledged; reload it.", "该奖惩当前不能变更：已决定或已确认收到，请刷新。"),
    TagNeedsCounty = ("tag.needs_county", 403, "An electronic tag is ordered by the county community-corrections agency (law art. 29).", "电子定位装置须经县级社区矫正机构决定（社区矫正法第二十九条）。"),
    TagOverlapping = ("tag.overlapping", 409, "Another tag order covers these days; renew it instead (its end, then a new order from the next day).", "已有电子定位装置决定覆盖这些日期，请办理延长（自原决定结束次日起）。"),
    TagOrderEnded = ("tag.order_ended", 409, "This tag order has ended; it cannot be changed or renewed.", "该电子定位装置决定已结束，不能更改或延长。"),
    AssessmentMonthNotOver = ("assessment.month_not_over", 409, "A month is assessed once it is over; until then its draft can be read.", "月度考核须在当月结束后确认，此前只能查看草稿。"),
    AssessmentAlreadyConfirmed = ("assessment.already_confirmed", 409, "This month was already assessed and confirmed; it is part of the file now.", "该月考核已确认，已归入档案。"),
    VisitIdTaken = ("visit.id_taken", 409, "Another visit record already has this id; the app must make a new one.", "该编号已被另一条走访记录使用，请由应用重新生成。"),
    VisitInFuture = ("visit.in_future", 422, "A visit is recorded once it has taken place: its time is later than now.", "走访发生后才能记录：所填时间晚于当前时间。"),
    VisitTooOld = ("visit.too_old", 422, "This visit is older than the jurisdiction allows to record (rules.visits.record_within_days).", "该走访早于本地规定的补记期限，已不能补记。"),
    VisitNotAtResidence = ("visit.not_at_residence", 422, "A home visit is recorded at the person's registered residence: the phone's location is too far from it. Record a talk instead if you met elsewhere.", "实地走访须在登记居所进行：手机定位距登记居所过远。如在其他地点见面，请记录为个别谈话。"),
    VisitFixUnusable = ("visit.fix_unusable", 422, "The phone's location cannot be used (mock location, taken too long before the visit, or too imprecise); take a fix at the residence and record again.", "手机定位无法使用（模拟定位、与走访时间相差过久或精度不足），请在居所重新定位后记录。"),
    VisitPhotosFull = ("visit.photos_full", 409, "This visit already has the most photos one visit keeps (6).", "该走访记录的照片已达上限（6 张）。"),
    VisitCheckinElsewhere = ("visit.checkin_elsewhere", 422, "The face check-in was taken away from where this office report is recorded; the person checks in at the office.", "该人脸签到并非在报到地点完成，请本人在司法所现场签到。"),
    VisitFaceNotPassed = ("visit.face_not_passed", 422, "An office report needs a passed face check-in the person made at the office around the report's time; ask them to check in with their face now.", "到所报到须附本人在报到前后于司法所完成并通过的人脸签到，请让其现在进行人脸签到。"),
    RangeNotSatisfiable = ("request.range_not_satisfiable", 416, "The byte range asked for is outside the file.", "请求的字节范围超出文件大小。"),
    FaceTemplateIncompatible = ("face.template_incompatible", 409, "The enrolled face was made by another model version; enrol again.", "已采集的人脸模板来自其他模型版本，请重新采集。"),

    Internal = ("internal.error", 500, "Something went wrong on our side; it has been logged.", "服务器内部错误，已记录。"),
    Unavailable = ("service.unavailable", 503, "The service is not ready.", "服务暂不可用。"),
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl std::error::Error for ErrorCode {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &c in ErrorCode::ALL {
            assert!(seen.insert(c.code()), "duplicate code {}", c.code());
            assert_eq!(ErrorCode::from_code(c.code()), Some(c));
            assert!((400..600).contains(&c.http_status()));
            assert!(!c.message(Lang::En).is_empty() && !c.message(Lang::ZhCn).is_empty());
            assert_ne!(c.message(Lang::En), c.message(Lang::ZhCn));
        }
    }

    #[test]
    fn accept_language() {
        assert_eq!(Lang::from_accept_language(None), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language(Some("en-US,en;q=0.9")), Lang::En);
        assert_eq!(Lang::from_accept_language(Some("zh-CN")), Lang::ZhCn);
        assert_eq!(
            Lang::from_accept_language(Some("fr, en;q=0.5, zh;q=0.8")),
            Lang::ZhCn
        );
        assert_eq!(Lang::from_accept_language(Some("de")), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language(Some("zh;q=0, en")), Lang::En);
    }
}
