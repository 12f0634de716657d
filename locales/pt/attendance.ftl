## flash.attendance

flash-attendance-saved = A chamada foi guardada.
flash-attendance-decided = A decisão foi registada.
flash-attendance-justified = Obrigado: a sua justificação foi enviada à escola.

## attendance

attendance-title = Assiduidade
attendance-review_link = Faltas e justificações
attendance-waiting =
    { $n ->
        [one] { $n } justificação das famílias por analisar
       *[other] { $n } justificações das famílias por analisar
    }
attendance-take_title = Fazer a chamada
attendance-class = Turma
attendance-date = Data
attendance-slot = Início da aula
attendance-subject = Disciplina
attendance-optional = (opcional)
attendance-take_hint = Todos os alunos contam como presentes enquanto não os marcar de outra forma. Se abrir uma chamada já feita, pode corrigi-la.
attendance-open = Abrir a chamada
attendance-recent = Chamadas recentes
attendance-counts =
    { $absent ->
        [one] { $absent } ausente
       *[other] { $absent } ausentes
    }, { $late ->
        [one] { $late } atraso
       *[other] { $late } atrasos
    }
attendance-none_taken = Ainda não foi feita nenhuma chamada.
attendance-export_title = Resumo mensal (folha de cálculo)
attendance-month = Mês
attendance-export_hint = Um ficheiro CSV que o LibreOffice ou o Excel abrem diretamente: uma linha por aluno, com as faltas, justificadas ou não, e os atrasos.
attendance-export = Descarregar o resumo
attendance-no_classes = Não tem nenhuma turma para a qual fazer a chamada.
attendance-register_title = Chamada
attendance-taken_by = Feita por { $who } em { $when }
attendance-edited_on = corrigida em { $when }
attendance-sheet_hint = Por predefinição, todos estão presentes: toque em Ausente ou Atraso para os alunos que não estão, e depois guarde.
attendance-present = Presente
attendance-absent = Ausente
attendance-late = Atraso
attendance-minutes_late = Minutos de atraso
attendance-no_pupils = Esta turma ainda não tem alunos.
attendance-save = Guardar a chamada
attendance-totals =
    { $absences ->
        [one] { $absences } falta
       *[other] { $absences } faltas
    } ({ $not_justified } ainda por justificar); { $late ->
        [one] { $late } atraso
       *[other] { $late } atrasos
    }, { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    } no total.
attendance-late_by = Atraso de { $n } min
attendance-reason = Motivo
attendance-sent_by = Enviada por { $who } em { $when }
attendance-justify = Justificar esta falta junto da escola
attendance-justify_again = Substituir a sua justificação
attendance-send = Enviar a justificação
attendance-none = Não há faltas nem atrasos registados.
attendance-no_child = Ainda não há nenhum educando associado à sua conta. A secretaria pode fazê-lo.
attendance-absences_title = Faltas e justificações
attendance-all_classes = Todas as turmas
attendance-show = Mostrar
attendance-show_pending = À espera de decisão
attendance-show_all = Todas
attendance-filter = Mostrar
attendance-no_note = Ainda não há justificação da família.
attendance-decision = Decisão
attendance-record = Registar
attendance-none_pending = Nada está à espera de decisão.
attendance-dashboard_unexplained =
    { $n ->
        [one] { $n } falta dos seus educandos por justificar
       *[other] { $n } faltas dos seus educandos por justificar
    }
attendance-dashboard_waiting =
    { $n ->
        [one] { $n } justificação por analisar
       *[other] { $n } justificações por analisar
    }
attendance-error_not_found = Isto não existe, ou não tem permissão para o ver.
attendance-error_denied = Não pode fazer isto aqui.
attendance-error_date = Uma data escreve-se ano-mês-dia, como 2026-05-04, e tem de existir.
attendance-error_year = O ano deve estar entre 2000 e 2099.
attendance-error_future = A chamada faz-se no dia da aula ou depois, não antes.
attendance-error_time = O início da aula escreve-se horas:minutos, como 08:30.
attendance-error_month = Um mês escreve-se ano-mês, como 2026-05.
attendance-error_unknown_pupil = Um dos alunos não pertence a esta turma. Não foi guardado nada: abra novamente a chamada.
attendance-error_mark = Cada aluno tem de estar marcado como presente, ausente ou com atraso. Não foi guardado nada.
attendance-error_minutes = Os minutos de atraso são um número inteiro de 1 a 240. Não foi guardado nada.
attendance-error_subject_long = O nome da disciplina é demasiado longo (no máximo 80 caracteres).
attendance-error_note_empty = Escreva primeiro a justificação.
attendance-error_note_long = A justificação é demasiado longa (no máximo 2000 caracteres).
attendance-error_reason_long = O motivo é demasiado longo (no máximo 500 caracteres).
attendance-error_status = Escolha pendente, justificada ou não justificada.
attendance-error_decided = A secretaria já tomou uma decisão sobre esta falta; contacte-a para a alterar.
attendance-csv_class = Turma
attendance-csv_pupil = Aluno
attendance-csv_absences = Faltas (aulas)
attendance-csv_half_days = Faltas (meios-dias)
attendance-csv_justified = Justificadas
attendance-csv_unjustified = Não justificadas
attendance-csv_pending = Pendentes
attendance-csv_late = Atrasos
attendance-csv_minutes = Minutos de atraso
attendance-csv_last = Última falta
attendance-file_prefix = assiduidade

## attendance.status

attendance-status-pending = Pendente
attendance-status-justified = Justificada
attendance-status-unjustified = Não justificada
