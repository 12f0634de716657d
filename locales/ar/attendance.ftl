## flash.attendance

flash-attendance-saved = حُفظ سجل الحضور.
flash-attendance-decided = سُجّل القرار.
flash-attendance-justified = شكرًا لك: أُرسل تبريرك إلى المدرسة.

## attendance

attendance-title = الغياب
attendance-review_link = الغيابات والتبريرات
attendance-waiting =
    { $n ->
        [zero] لا تبريرات من الأسر في انتظار المراجعة
        [one] تبرير واحد من الأسر في انتظار المراجعة
        [two] تبريران من الأسر في انتظار المراجعة
        [few] { $n } تبريرات من الأسر في انتظار المراجعة
        [many] { $n } تبريرًا من الأسر في انتظار المراجعة
       *[other] { $n } تبرير من الأسر في انتظار المراجعة
    }
attendance-take_title = تسجيل الحضور
attendance-class = القسم
attendance-date = التاريخ
attendance-slot = بداية الحصة
attendance-subject = المادة
attendance-optional = (اختياري)
attendance-take_hint = يُعدّ الجميع حاضرين ما لم تسجّل غيابهم أو تأخرهم. وفتح سجل حضور سبق تسجيله يتيح لك تصحيحه.
attendance-open = فتح سجل الحضور
attendance-recent = آخر سجلات الحضور
attendance-counts =
    { $absent ->
        [zero] لا غياب
        [one] غائب واحد
        [two] غائبان
        [few] { $absent } غائبين
        [many] { $absent } غائبًا
       *[other] { $absent } غائب
    }، { $late ->
        [zero] لا تأخر
        [one] متأخر واحد
        [two] متأخران
        [few] { $late } متأخرين
        [many] { $late } متأخرًا
       *[other] { $late } متأخر
    }
attendance-none_taken = لا توجد سجلات حضور بعد.
attendance-export_title = الحصيلة الشهرية (جدول بيانات)
attendance-month = الشهر
attendance-export_hint = ملف CSV يفتحه LibreOffice أو Excel كما هو: سطر لكل تلميذ، فيه الغيابات، المبرَّرة وغير المبرَّرة، والتأخرات.
attendance-export = تنزيل الحصيلة
attendance-no_classes = ليس لديك أي قسم تسجّل حضوره.
attendance-register_title = سجل الحضور
attendance-taken_by = سجّله { $who } في { $when }
attendance-edited_on = صُحّح في { $when }
attendance-sheet_hint = الجميع حاضرون افتراضيًا: اضغط «غائب» أو «متأخر» للتلاميذ المعنيين، ثم احفظ.
attendance-present = حاضر
attendance-absent = غائب
attendance-late = متأخر
attendance-minutes_late = دقائق التأخر
attendance-no_pupils = لا يوجد تلاميذ في هذا القسم بعد.
attendance-save = حفظ سجل الحضور
attendance-totals =
    { $absences ->
        [zero] لا غياب
        [one] غياب واحد { $not_justified ->
            [zero] مبرَّر
            [one] لم يُبرَّر بعد
            [two] لم يُبرَّر بعد
            [few] لم يُبرَّر بعد
            [many] لم يُبرَّر بعد
           *[other] لم يُبرَّر بعد
        }
        [two] غيابان، { $not_justified ->
            [zero] كلاهما مبرَّر
            [one] أحدهما لم يُبرَّر بعد
            [two] كلاهما لم يُبرَّر بعد
            [few] كلاهما لم يُبرَّر بعد
            [many] كلاهما لم يُبرَّر بعد
           *[other] كلاهما لم يُبرَّر بعد
        }
        [few] { $absences } غيابات، { $not_justified ->
            [zero] كلها مبرَّرة
            [one] منها غياب واحد لم يُبرَّر بعد
            [two] منها غيابان لم يُبرَّرا بعد
            [few] منها { $not_justified } لم تُبرَّر بعد
            [many] منها { $not_justified } لم تُبرَّر بعد
           *[other] منها { $not_justified } لم تُبرَّر بعد
        }
        [many] { $absences } غيابًا، { $not_justified ->
            [zero] كلها مبرَّرة
            [one] منها غياب واحد لم يُبرَّر بعد
            [two] منها غيابان لم يُبرَّرا بعد
            [few] منها { $not_justified } لم تُبرَّر بعد
            [many] منها { $not_justified } لم تُبرَّر بعد
           *[other] منها { $not_justified } لم تُبرَّر بعد
        }
       *[other] { $absences } غياب، { $not_justified ->
            [zero] كلها مبرَّرة
            [one] منها غياب واحد لم يُبرَّر بعد
            [two] منها غيابان لم يُبرَّرا بعد
            [few] منها { $not_justified } لم تُبرَّر بعد
            [many] منها { $not_justified } لم تُبرَّر بعد
           *[other] منها { $not_justified } لم تُبرَّر بعد
        }
    }؛ { $late ->
        [zero] لا تأخر
        [one] تأخر واحد
        [two] تأخران
        [few] { $late } تأخرات
        [many] { $late } تأخرًا
       *[other] { $late } تأخر
    }{ $minutes ->
        [zero] {""}
        [one] ، بمجموع دقيقة واحدة
        [two] ، بمجموع دقيقتين
        [few] ، بمجموع { $minutes } دقائق
        [many] ، بمجموع { $minutes } دقيقة
       *[other] ، بمجموع { $minutes } دقيقة
    }.
attendance-late_by =
    { $n ->
        [zero] تأخر
        [one] تأخر دقيقة واحدة
        [two] تأخر دقيقتين
        [few] تأخر { $n } دقائق
        [many] تأخر { $n } دقيقة
       *[other] تأخر { $n } دقيقة
    }
attendance-reason = السبب
attendance-sent_by = أرسله { $who } في { $when }
attendance-justify = تبرير هذا الغياب لدى المدرسة
attendance-justify_again = استبدال تبريرك
attendance-send = إرسال التبرير
attendance-none = لم يُسجَّل أي غياب أو تأخر.
attendance-no_child = لم يُربط أي ابن بحسابك بعد. يمكن للإدارة القيام بذلك.
attendance-absences_title = الغيابات والتبريرات
attendance-all_classes = كل الأقسام
attendance-show = عرض
attendance-show_pending = في انتظار قرار
attendance-show_all = الكل
attendance-filter = عرض
attendance-no_note = لم تُرسل الأسرة أي تبرير بعد.
attendance-decision = القرار
attendance-record = تسجيل
attendance-none_pending = لا شيء ينتظر قرارًا.
attendance-dashboard_unexplained =
    { $n ->
        [zero] لا غيابات لأبنائك بحاجة إلى تبرير
        [one] غياب واحد لأبنائك بحاجة إلى تبرير
        [two] غيابان لأبنائك بحاجة إلى تبرير
        [few] { $n } غيابات لأبنائك بحاجة إلى تبرير
        [many] { $n } غيابًا لأبنائك بحاجة إلى تبرير
       *[other] { $n } غياب لأبنائك بحاجة إلى تبرير
    }
attendance-dashboard_waiting =
    { $n ->
        [zero] لا تبريرات للمراجعة
        [one] تبرير واحد للمراجعة
        [two] تبريران للمراجعة
        [few] { $n } تبريرات للمراجعة
        [many] { $n } تبريرًا للمراجعة
       *[other] { $n } تبرير للمراجعة
    }
attendance-error_not_found = هذا غير موجود، أو لا يُسمح لك برؤيته.
attendance-error_denied = لا يمكنك القيام بهذا هنا.
attendance-error_date = يُكتب التاريخ بالسنة ثم الشهر ثم اليوم، مثل 2026-05-04، ويجب أن يكون تاريخًا صحيحًا.
attendance-error_year = يجب أن تكون السنة بين 2000 و2099.
attendance-error_future = يُسجَّل الحضور يوم الحصة أو بعده، لا قبله.
attendance-error_time = تُكتب بداية الحصة بالساعات ثم الدقائق، مثل 08:30.
attendance-error_month = يُكتب الشهر بالسنة ثم الشهر، مثل 2026-05.
attendance-error_unknown_pupil = أحد التلاميذ ليس في هذا القسم. لم يُحفظ شيء: افتح سجل الحضور من جديد.
attendance-error_mark = كل تلميذ إما حاضر أو غائب أو متأخر. لم يُحفظ شيء.
attendance-error_minutes = يجب أن تكون دقائق التأخر عددًا صحيحًا من 1 إلى 240. لم يُحفظ شيء.
attendance-error_subject_long = اسم المادة طويل جدًا (80 حرفًا على الأكثر).
attendance-error_note_empty = اكتب التبرير أولًا.
attendance-error_note_long = التبرير طويل جدًا (2000 حرف على الأكثر).
attendance-error_reason_long = السبب طويل جدًا (500 حرف على الأكثر).
attendance-error_status = اختر: قيد الانتظار، أو مبرَّر، أو غير مبرَّر.
attendance-error_decided = سبق أن اتخذت الإدارة قرارًا بشأن هذا الغياب؛ تواصل معها لتغييره.
attendance-csv_class = القسم
attendance-csv_pupil = التلميذ
attendance-csv_absences = الغيابات (بالحصص)
attendance-csv_half_days = الغيابات (بأنصاف الأيام)
attendance-csv_justified = المبرَّرة
attendance-csv_unjustified = غير المبرَّرة
attendance-csv_pending = قيد الانتظار
attendance-csv_late = التأخرات
attendance-csv_minutes = دقائق التأخر
attendance-csv_last = آخر غياب
attendance-file_prefix = الغياب

## attendance.status

attendance-status-pending = قيد الانتظار
attendance-status-justified = مبرَّر
attendance-status-unjustified = غير مبرَّر
